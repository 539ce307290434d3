# The words on a customer's receipt, in English. Receipts have their own language, which need
# not be the window's.
receipt-number = Receipt
receipt-counter = Counter
receipt-date = Date
receipt-date-jalali = Date (Jalali)
receipt-sold = Sold
kind-topup = Mobile top-up
kind-credit-add = Credit to sub-account
kind-credit-remove = Credit back from sub-account
kind-transfer = Transfer to child account
receipt-operator = Operator
receipt-circle = Circle
receipt-destination = Number
receipt-account = Account
receipt-amount = Amount sent
receipt-price = Price
receipt-our-ref = Our reference
receipt-provider-ref = Provider reference
receipt-outcome = Outcome
outcome-succeeded = Done
outcome-confirming = Being confirmed
receipt-confirming-notice = BEING CONFIRMED: do not pay again, do not send again
receipt-reprint = REPRINT { $copy }
receipt-thanks = Thank you
