//! Faults the simulator can inject into its replies, to prove saldo under bad networks.

use serde::{Deserialize, Serialize};

/// One way for a reply to go wrong.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Fault {
    /// Wait this long, then answer normally.
    Latency { ms: u64 },
    /// Answer with this HTTP status without doing anything.
    Status { code: u16 },
    /// Hold the request without doing anything until the client gives up.
    TimeoutBeforeCommit,
    /// Do the work, then hold the reply until the client gives up.
    TimeoutAfterCommit,
    /// Drop the connection without doing anything.
    ResetBeforeCommit,
    /// Do the work, then drop the connection instead of answering.
    ResetAfterCommit,
    /// Do the work, then answer with a body that cannot be decoded.
    Malformed,
    /// Answer with this exact body (and HTTP 200) without doing anything.
    Body { body: String },
    /// Answer with this HTTP status and exact body without doing anything.
    Reply { status: u16, body: String },
}

impl Fault {
    /// Whether the simulated provider executes the request under this fault.
    pub fn commits(&self) -> bool {
        matches!(
            self,
            Fault::Latency { .. }
                | Fault::TimeoutAfterCommit
                | Fault::ResetAfterCommit
                | Fault::Malformed
        )
    }
}

/// A fault for the next `times` requests whose path ends with `path`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaultRule {
    pub path: String,
    pub fault: Fault,
    #[serde(default = "one")]
    pub times: u32,
}

fn one() -> u32 {
    1
}

impl FaultRule {
    /// A fault for the next request to a path.
    pub fn once(path: &str, fault: Fault) -> FaultRule {
        FaultRule {
            path: path.to_string(),
            fault,
            times: 1,
        }
    }
}

/// Takes the first armed rule for `path`, using one of its turns.
pub fn take_fault(rules: &mut Vec<FaultRule>, path: &str) -> Option<Fault> {
    let index = rules
        .iter()
        .position(|r| r.times > 0 && path.ends_with(&r.path))?;
    let rule = &mut rules[index];
    rule.times -= 1;
    let fault = rule.fault.clone();
    if rule.times == 0 {
        rules.remove(index);
    }
    Some(fault)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_fire_the_given_number_of_times_on_matching_paths() {
        let mut rules = vec![FaultRule {
            path: "/recharge/send".into(),
            fault: Fault::Malformed,
            times: 2,
        }];
        assert_eq!(take_fault(&mut rules, "/qvatel/api/recharge/status"), None);
        assert_eq!(
            take_fault(&mut rules, "/qvatel/api/recharge/send"),
            Some(Fault::Malformed)
        );
        assert_eq!(
            take_fault(&mut rules, "/qvatel/api/recharge/send"),
            Some(Fault::Malformed)
        );
        assert_eq!(take_fault(&mut rules, "/qvatel/api/recharge/send"), None);
        assert!(rules.is_empty());
    }
}
