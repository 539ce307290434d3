//! The values the ledger stores: integers and text, or nothing. Both stores read and write
//! them the same way.

/// A value bound to a statement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Null,
    Int(i64),
    Text(String),
}

/// A value read from a row, borrowed from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cell<'r> {
    Null,
    Int(i64),
    Text(&'r str),
}

impl Cell<'_> {
    fn described(self) -> &'static str {
        match self {
            Cell::Null => "nothing",
            Cell::Int(_) => "a number",
            Cell::Text(_) => "text",
        }
    }
}

/// What can be bound as a `Value`.
pub trait ToValue {
    fn to_value(&self) -> Value;
}

impl ToValue for Value {
    fn to_value(&self) -> Value {
        self.clone()
    }
}

impl ToValue for i64 {
    fn to_value(&self) -> Value {
        Value::Int(*self)
    }
}

impl ToValue for i32 {
    fn to_value(&self) -> Value {
        Value::Int(i64::from(*self))
    }
}

impl ToValue for u32 {
    fn to_value(&self) -> Value {
        Value::Int(i64::from(*self))
    }
}

impl ToValue for bool {
    fn to_value(&self) -> Value {
        Value::Int(i64::from(*self))
    }
}

impl ToValue for str {
    fn to_value(&self) -> Value {
        Value::Text(self.to_string())
    }
}

impl ToValue for String {
    fn to_value(&self) -> Value {
        Value::Text(self.clone())
    }
}

impl<T: ToValue + ?Sized> ToValue for &T {
    fn to_value(&self) -> Value {
        (**self).to_value()
    }
}

impl<T: ToValue> ToValue for Option<T> {
    fn to_value(&self) -> Value {
        self.as_ref().map_or(Value::Null, ToValue::to_value)
    }
}

/// What a cell can be read as; the error names what the cell held instead.
pub trait FromCell: Sized {
    fn from_cell(cell: Cell<'_>) -> Result<Self, &'static str>;
}

impl FromCell for i64 {
    fn from_cell(cell: Cell<'_>) -> Result<Self, &'static str> {
        match cell {
            Cell::Int(i) => Ok(i),
            other => Err(other.described()),
        }
    }
}

impl FromCell for bool {
    fn from_cell(cell: Cell<'_>) -> Result<Self, &'static str> {
        i64::from_cell(cell).map(|i| i != 0)
    }
}

impl FromCell for String {
    fn from_cell(cell: Cell<'_>) -> Result<Self, &'static str> {
        match cell {
            Cell::Text(t) => Ok(t.to_string()),
            other => Err(other.described()),
        }
    }
}

impl FromCell for Value {
    fn from_cell(cell: Cell<'_>) -> Result<Self, &'static str> {
        Ok(match cell {
            Cell::Null => Value::Null,
            Cell::Int(i) => Value::Int(i),
            Cell::Text(t) => Value::Text(t.to_string()),
        })
    }
}

impl<T: FromCell> FromCell for Option<T> {
    fn from_cell(cell: Cell<'_>) -> Result<Self, &'static str> {
        match cell {
            Cell::Null => Ok(None),
            other => T::from_cell(other).map(Some),
        }
    }
}
