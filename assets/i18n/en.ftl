# saldo — every text of the window, in English.
# Keep the message ids identical in es.ftl; a test checks both files have the same ids.

## The window

demo-banner = DEMO — simulated providers and a separate demo ledger: nothing real is sent
panel-counter = Counter
panel-balances = Balances
panel-subaccounts = Sub-accounts
panel-statement = Statement
panel-history = History
panel-review = Needs review
panel-settings = Settings
key-enter = Enter
key-escape = Escape
review-count = { $count ->
    [one] { $count } operation needs review
   *[other] { $count } operations need review
}
age-just-now = updated just now
age-minutes = updated { $minutes } min ago
age-hours = updated { $hours } h ago

## Notifications

toast-low-balance = Low balance on { $profile }: { $balance } (warning below { $level })
toast-unknown = { $reference }: outcome unknown — do not resend. It is listed in Review.
toast-settled = { $reference } is now { $state }
toast-settled-many = { $count } operations now have a final outcome: see History
toast-moved = Done: { $what }
toast-subaccount-created = New sub-account created in { $profile }
toast-subaccount-deleted = Deleted sub-account { $account } of { $profile }
toast-crash-report = saldo met an internal fault last time. A report is in { $path } — please send it to whoever supports your saldo. Every operation was written before it was sent: check Needs review.

## Countries, states, kinds, secrets

country-cuba = Cuba
country-india = India
country-france = France
country-mexico = Mexico
country-iran = Iran
state-recorded = recorded
state-sending = sending
state-succeeded = succeeded
state-failed = failed
state-pending = pending
state-unknown = unknown
state-failed-inferred = failed (concluded by saldo)
state-failed-by-hand = failed (settled by hand)
state-succeeded-inferred = succeeded (concluded by saldo)
state-succeeded-by-hand = succeeded (settled by hand)
kind-topup = top-up
kind-credit-add = credit to sub-account
kind-credit-remove = credit back from sub-account
kind-transfer = transfer to child account
secret-api-token = API token
secret-api-key = API key
secret-access-token = Access token
secret-refresh-token = Refresh token
secret-username = User name
secret-password = Password
secret-session-token = Session token

## Input errors

phone-error-empty = Enter the customer's mobile number.
phone-error-characters = A phone number has only digits, spaces and an optional leading +.
phone-error-wrong-country = This number is not from { $country }: it must start with +{ $code }.
phone-error-length = Mobile numbers in { $country } have { $expected } digits; this one has { $found }.
phone-error-not-mobile = { $number } is not a mobile number in { $country } (it may be a landline).
amount-error-empty = Enter an amount.
amount-error-not-a-number = “{ $text }” is not an amount: use digits and one decimal point or comma, e.g. 20.00.
amount-error-separators = Use either a point or a comma as decimal separator, not both: “{ $text }”.
amount-error-negative = The amount cannot be negative.
amount-error-decimals = { $unit } takes at most { $places } decimal places.
amount-error-too-large = The amount is too large.
amount-error-ambiguous = “{ $text }” is ambiguous: did you mean { $thousands } or { $decimal }? Type the one you mean.
amount-error-zero = The amount must be more than 0.

## Errors from the engine, the ledger, the keychain and the providers

error-server-down-nothing-sent = The shop's server cannot be reached — nothing was sent. Check the network and the server, then send it again. ({ $reason })
error-outcome-kept = { $reference } was sent and ended “{ $outcome }”. The shop's server cannot be reached right now: this counter keeps the outcome and writes it as soon as the server is back. Do NOT send it again.
error-not-recorded = Nothing was sent: { $reason }
error-outcome-not-recorded = { $reference } was sent and ended “{ $outcome }”, but saldo could not record that: { $reason }. Do NOT send it again; check the provider's records for { $reference }.
error-possible-repeat = This repeats { $reference } recorded at { $time } ({ $state }). Nothing was sent.
error-repeat-of-open = The same operation, { $reference }, recorded at { $time }, is still { $state }. It may still go through: nothing was sent, and it cannot be sent again until { $reference } is settled (see Needs review).
error-sales-blocked = Sales through { $profile } are paused: the last balance read was { $balance } and this sale would take it below the floor of { $floor }. Add credit with the provider and refresh the balance, or lower the floor in Settings.
error-provider-not-sent = Could not reach the provider ({ $reason }). Nothing was sent; try again.
error-provider-maybe-sent = No clear answer from the provider ({ $reason }): the outcome is unknown.
error-provider-rejected = The provider refused: { $message }
error-provider-auth = The provider refused the credentials ({ $message }). Check the profile's secrets in Settings.
error-provider-rate-limited = The provider is busy and asked saldo to slow down. Try again in a moment.
error-provider-rate-limited-in = The provider is busy and asked saldo to slow down. Try again in { $seconds } s.
error-provider-malformed = The provider's reply could not be read ({ $reason }).
error-ledger-open = Could not open the ledger { $path }: { $reason }. Check that the folder exists and is writable.
error-ledger-open-server = Could not open the ledger on the shop's server { $address }: { $reason }
error-ledger-newer = The ledger { $path } was written by a newer saldo. Install the newer saldo; the file was not changed.
error-ledger-write = Could not write to the ledger: { $reason }
error-ledger-read = Could not read the ledger: { $reason }
error-profile-exists = A profile named “{ $name }” already exists.
error-profile-not-found = There is no profile named “{ $name }”.
error-operation-not-found = There is no operation with reference { $reference }.
error-keychain-unavailable = No keychain is available on this computer. saldo keeps API keys only in the system keychain (GNOME Keyring, KWallet, macOS Keychain or Windows Credential Manager): start or install one, then try again.
error-keychain-locked = The keychain is locked: unlock it (log in to your desktop session) and try again.
error-keychain-refused = The keychain refused: { $reason }
error-secret-missing = No { $secret } saved for profile “{ $profile }”: enter it in Settings.
error-secret-empty = The secret is empty: nothing was saved.
error-internal = saldo hit an internal error ({ $reason }). Nothing more was done; please try again.
error-export-write = Could not write the file: { $reason }

## Counter

counter-title = Top-up
counter-no-profile = No profile sells phone top-ups yet. Add a QvaTel (Cuba) or RechargeKit (India) profile in Settings.
counter-profile = Profile
counter-number = Customer number
counter-number-hint = Mobile number in { $country }
counter-number-help = Type the customer's mobile number.
counter-number-digits-only = Only digits can be typed here (spaces, dashes and a leading + are fine).
counter-use-other-profile = This is a mobile number in { $country }: sell through { $profile }
counter-will-top-up = Will top up { $number }
counter-amount = Amount
counter-amount-hint = e.g. 49 ({ $unit })
counter-amount-key = Key { $key } (Alt+{ $key } while typing the number)
counter-operator = Operator
counter-circle = Circle
counter-choose-field = Choose the { $field }
counter-operators-live = Operators: RechargeKit's live list ({ $age })
counter-operators-shipped = Operators: saldo's own table (the provider's live list is not in use)
counter-operators-fetch-failed = The provider's live list could not be fetched: { $reason }
counter-choose-amount = Choose an amount.
counter-choose-operator = Choose the operator and circle.
counter-sales-paused = Sales are paused: the balance { $balance } is at or below the floor of { $floor }.
counter-review = Review
counter-review-tip = Enter
counter-check-with-customer = Please check with the customer:
counter-review-number = Number: { $number }
counter-review-amount = Amount: { $amount }
counter-through-profile = Through profile { $profile }
counter-send = Send top-up
counter-send-wait = Check the number and amount with the customer…
counter-send-hint = Press Enter or click Send when the customer has said yes. Escape goes back.
counter-back = Back
counter-cancel = Cancel
counter-sending = Sending { $amount } to { $number }… do not close saldo
counter-next-customer = Next customer
counter-retry = Retry
counter-retry-tip = Back to the same number and amount, to try again
counter-send-again = Send again anyway
counter-send-again-tip = Only if the customer asked for a second top-up
counter-favourite = Add to favourites
counter-unfavourite = Remove from favourites
counter-favourites = Favourites
counter-no-favourites = No favourite numbers yet.
counter-recent = Recent numbers
counter-no-recent = No top-ups yet.
counter-favourite-failed = The favourite could not be changed: { $reason }
counter-choices-unreadable = The operator and circle remembered for this number could not be read: { $reason }
counter-today = Today
counter-today-none = No top-ups yet today.
counter-today-line = { $count ->
    [one] 1 top-up · { $total }
   *[other] { $count } top-ups · { $total }
}

## Top-up results

result-repeat = Same top-up moments ago — send again?
result-unknown = Outcome unknown — do not resend
result-not-sent = Not sent
result-what = { $amount } to { $number }
result-our-reference = Our reference: { $reference }
result-provider-reference = Provider reference: { $reference }
result-succeeded = Top-up succeeded
result-failed = Top-up failed
result-reason = Reason: { $reason }
result-nothing-charged = It was not made; nothing was charged.
result-failure-concluded = saldo concluded it did not go through (the provider did not say so): check the provider's records before sending it again.
result-pending = Accepted, not confirmed yet
result-pending-detail = { $provider } accepted the top-up and is still processing it.
result-do-not-resend-history = Do not resend. saldo keeps asking and shows the outcome here and in History.
result-unknown-timeout = { $provider } did not answer within { $seconds } s. The top-up may have gone through — do not resend; saldo keeps checking.
result-unknown-unclear = { $provider }'s answer did not say whether the top-up went through. It may have gone through — do not resend; saldo keeps checking.
result-unknown-unrecorded = The top-up may have gone through, but saldo could not write that down. Do not resend; saldo keeps checking.
result-unknown-technical = Technical detail: { $reason } (the operation is { $state }).
result-details = Details
result-copy = Copy
result-copy-tip = Copy the reference
result-balance-now = Balance now: { $balance }
result-balance-reading = Balance now: being read…
result-balance-unread = Balance now: could not be read (see Balances)
result-icon-succeeded = Succeeded
result-icon-failed = Failed
result-icon-pending = Being processed
result-icon-unknown = Outcome unknown
result-icon-repeat = Confirm first

## Refusals the counter recognises

refusal-no-balance = The shop's { $provider } account has too little balance for this top-up: add credit with { $provider }, then send it again.
refusal-credentials = { $provider } refused saldo's API key: check it in Settings (and that this computer may use it), then send it again.
refusal-number = The provider does not top up this number: check it with the customer.
refusal-operator = The operator or circle does not fit this number: choose the customer's operator and send it again.
refusal-amount = { $provider } does not sell this amount for this number: choose another amount.

## Counter banners

banner-keychain = The keychain cannot be read ({ $reason }): sales through this profile cannot be sent until it can.
banner-secret-missing = Profile “{ $profile }” has no { $secret } saved: add it in Settings before selling.
banner-address = This profile's address cannot be used: { $reason }. Correct it in Settings.
banner-low-balance = The balance { $balance } is below the warning level of { $level }: buy credit soon.
banner-balance-unread = The balance could not be read: { $reason }

## Balances

balances-title = Balances
balances-refresh-all = Refresh all
balances-refresh = Refresh
balances-refresh-tip = Read { $profile }'s balance from the provider now
balances-no-profiles = No profiles yet: add one in Settings.
balances-not-offered = This provider's API does not report a balance.
balances-never-read = Not read yet.
balances-unreadable = The balances read earlier could not be loaded: { $reason }
balance-of-qvatel = Recharge balance (not the SMS balance)
balance-of-smspartner = Main account credit
balance-of-sabapayamak = SMS credit
balance-of-rechargekit-recharge = Recharge wallet (v2a)
balance-of-rechargekit-primary = Primary wallet (v2bapi)
balances-low = Below the warning level of { $level }
balances-sales-paused = Sales paused: below the floor of { $floor }
balances-chip-low = Low
balances-chip-paused = Sales paused

## Sub-accounts

subaccounts-title = Sub-accounts
subaccounts-profile = Profile
subaccounts-no-profile = No profile has sub-accounts or child accounts: add an SMS Partner or Marketext profile in Settings.
subaccounts-search = Search
subaccounts-search-hint = id or e-mail
subaccounts-refresh = Refresh
subaccounts-new = New sub-account
subaccounts-new-title = New sub-account
subaccounts-kind = Kind
subaccounts-kind-simple = simple
subaccounts-kind-advanced = advanced
subaccounts-email = E-mail
subaccounts-first-name = First name
subaccounts-last-name = Last name
subaccounts-is-buyer = Buys its own credit
subaccounts-is-buyer-tip = SMS Partner's isBuyer: the sub-account may buy credit itself; otherwise it only gets credit from the main account
subaccounts-starting-credit = Starting credit ({ $unit })
subaccounts-starting-credit-tip = Moved from the main account once the sub-account exists, recorded like any credit move; leave empty for none
subaccounts-email-invalid = Enter a valid e-mail address.
subaccounts-create = Create
subaccounts-delete = Delete sub-account
subaccounts-delete-needs-empty = Only a sub-account without credit can be deleted: take its credit back first
subaccounts-delete-confirm = Delete sub-account { $account } ({ $email })? This cannot be undone.
subaccounts-delete-yes = Delete
subaccounts-count = { $shown } of { $total } sub-accounts
subaccounts-id = Id
subaccounts-balance = Balance
subaccounts-pick-one = Choose a sub-account in the list to move credit.
subaccounts-move-title = Move credit: sub-account { $account }
subaccounts-add = Add credit
subaccounts-remove = Take credit back
subaccounts-amount = Amount ({ $unit })
subaccounts-review = Review
subaccounts-confirm-add = Add { $amount } to sub-account { $account }?
subaccounts-confirm-remove = Take { $amount } back from sub-account { $account }?
subaccounts-before = Before
subaccounts-after = After
subaccounts-main-account = Main account
subaccounts-sub-account = Sub-account { $account }
subaccounts-unknown-balance = not read yet
subaccounts-not-enough = The sub-account does not have that much credit.
subaccounts-confirm = Confirm move
subaccounts-sending = Moving credit… do not close saldo
subaccounts-moved = Credit moved
move-given = { $amount } to { $account }
move-taken-back = { $amount } back from { $account }
move-transferred = { $amount } to child account { $account }
subaccounts-taken-back = Credit taken back
subaccounts-main-not-enough = The main account does not have that much credit.
subaccounts-refused = The provider refused the move
subaccounts-unknown = Outcome unknown — do not repeat
subaccounts-not-moved = Nothing was moved
subaccounts-send-again-tip = Only if the same credit really has to move twice
subaccounts-balances-after = Now: main account { $main }, sub-account { $sub }
subaccounts-see-review = saldo keeps checking; the operation is listed in Review until it is settled.
subaccounts-transfer-help = Marketext: move points from the main account to a child account by its id.
subaccounts-child = Child account id
subaccounts-confirm-transfer = Transfer { $amount } to child account { $child }?
subaccounts-transfer-warning = Marketext cannot be asked afterwards whether a transfer arrived: check the id twice.
subaccounts-confirm-transfer-button = Confirm transfer

## Statement

statement-title = Credit statement
statement-no-profile = No profile offers a credit statement: add a Saba Payamak profile in Settings.
statement-profile = Profile
statement-by-dates = Between two days
statement-last-n = The last movements
statement-kind = Kind
statement-kind-all = all kinds
statement-kind-send = sending
statement-kind-receive = receiving
statement-kind-purchase = purchase
statement-kind-refund = refund
statement-from = From (Jalali)
statement-to = To (Jalali)
statement-picker-tip = Click to choose the day in the Jalali calendar
statement-previous-month = Previous month
statement-next-month = Next month
statement-previous-year = Previous year
statement-next-year = Next year
statement-how-many = How many
statement-range-reversed = The first day is after the last day.
statement-last-invalid = Enter a number from 1 to 1000.
statement-show = Show
statement-pick-and-show = Choose the days (or how many), then Show.
statement-empty = No movements.
statement-count = { $count ->
    [one] { $count } movement
   *[other] { $count } movements
}
statement-total = { $kind }: { $count } totalling { $total }
statement-col-jalali = Jalali day
statement-col-gregorian = Gregorian day
statement-col-time = Time
statement-col-kind = Kind
statement-col-amount = Amount
statement-col-remaining = Remaining
statement-col-description = Description

## History

history-title = History
history-refresh = Refresh
history-today = Today
history-yesterday = Yesterday
history-last-7-days = Last 7 days
history-this-month = This month
history-all-time = All time
history-from = From
history-to = To
history-date-hint = YYYY-MM-DD
history-bad-date = “{ $text }” is not a date: write it as YYYY-MM-DD, e.g. 2026-11-21.
history-range-reversed = The first day is after the last day.
history-profile = Profile
history-counter = Counter
history-state = State
history-any = any
history-number = Number
history-number-hint = number or sub-account
history-counting = Counting…
history-count = { $count ->
    [one] { $count } operation
   *[other] { $count } operations
}
history-chart = Daily sales chart
history-totals = Totals ({ $count })
history-more-filters = More filters{ $set ->
    [0] {""}
   *[other] {" "}({ $set } set)
}
history-chart-empty = No succeeded top-ups in this period.
history-chart-title = Daily sales ({ $unit })
history-chart-sales = { $count } sales
history-empty = No operations match.
history-col-time = Time
history-col-reference = Reference
history-col-operation = Operation
history-col-profile = Profile
history-col-destination = Number or sub-account
history-col-amount = Amount
history-col-state = State
history-col-provider-reference = Provider reference
history-col-message = Message
history-export = Export…
history-export-for = Export for
history-export-options = CSV options
history-export-spreadsheet = a spreadsheet
history-export-spreadsheet-tip = Excel or LibreOffice: numbers stay text, nothing runs as a formula
history-export-import = another program
history-export-import-tip = Values as stored, for importing elsewhere (saldo's own notes in English)
history-export-semicolon = Semicolons
history-export-semicolon-tip = For spreadsheets set to a decimal comma (Spanish, French…)
history-export-bom = Byte-order mark
history-export-bom-tip = Lets Excel read accents correctly
history-export-progress = { $rows } of { $total } rows
history-export-cancel = Cancel export
history-export-cancelled = The export was cancelled; no file was left behind.
history-export-no-file = No file chosen: nothing was exported.
history-export-done = Exported { $rows } operations to { $path }
history-export-done-no-dialog = The system's save dialog could not be opened, so saldo saved the { $rows } operations in { $path }.
history-total-topup = Top-ups succeeded: { $count }, { $total }
history-total-credit-add = Credit given to sub-accounts: { $count }, { $total }
history-total-credit-remove = Credit taken back from sub-accounts: { $count }, { $total }
history-total-transfer = Transfers to child accounts: { $count }, { $total }
history-details-title = Details: { $kind } to { $destination }
history-details-close = Close
history-details-review = Why it needs a person
history-details-events = What happened
history-event-change = { $from }, then { $to }

## Review

review-title = Review
review-refresh = Refresh
review-help = Operations whose outcome nobody knows yet. Ask the provider again, or settle them after checking with the provider or the customer.
review-nothing = Nothing to review: every operation has a known outcome.
review-operation = Operation
review-profile = Profile
review-destination = Number or sub-account
review-amount = Amount
review-state = State
review-recorded-at = Recorded
review-updated-at = Last change
review-provider-reference = Provider reference
review-checks = Checks so far
review-why = Why: { $reason }
review-evidence = Evidence
review-recheck = Ask the provider again
review-recheck-tip = Asks the provider about this operation now
review-note = Note
review-note-hint = How you know, e.g. “customer received it”
review-note-needed = A note is needed to settle by hand.
review-settle-succeeded = Settle as succeeded
review-settle-failed = Settle as failed
review-raw-reply = Details (the provider's reply)
review-settle-confirm = Record { $reference } as { $state }: { $amount } to { $destination }, with the note “{ $note }”. This is final.
review-settle-confirm-button = Record it
review-now = { $reference } is now { $state }.
review-still-open = { $reference } is still { $state }: the provider has no final answer yet.

## Settings

settings-title = Settings
settings-language = Language
settings-theme = Appearance
settings-theme-system = As the system
settings-theme-light = Light
settings-theme-dark = Dark
settings-secrets-not-forgotten = Profile “{ $profile }” was removed, but its secrets could not be removed from the keychain: { $reason }. They stay there under the service “saldo”: remove them with the desktop's keychain tool (for example Passwords and Keys).
settings-profiles = Provider profiles
settings-add-profile = Add a profile
settings-pick-profile = Choose a profile to edit, or add one.
settings-new-profile = New profile
settings-edit-profile = Profile { $name }
settings-name = Name
settings-provider = Provider
settings-address = Address
settings-address-tip = The provider's API address (https://…)
settings-denominations = Amounts sold ({ $unit })
settings-denominations-tip = The amounts the counter offers, separated by commas; empty for any amount
settings-timeout = Request timeout (s)
settings-timeout-tip = How long one request may take before its outcome counts as unknown
settings-duplicate-window = Repeat guard (minutes)
settings-duplicate-window-tip = The same number and amount within this time asks for a second confirmation; 0 turns it off
settings-low-balance = Warn below ({ $unit })
settings-low-balance-tip = The balances board turns red and warns below this; empty for no warning
settings-sales-floor = Sales floor ({ $unit })
settings-sales-floor-tip = Top-ups that would take the balance below this are refused; empty for none
settings-save = Save
settings-saved = Profile { $name } saved.
settings-remove = Remove profile
settings-remove-confirm = Remove { $name }? Its secrets are deleted from the keychain; its operations stay in the history.
settings-remove-yes = Yes, remove
settings-removed = Profile { $name } removed.
settings-secrets-after-save = Save the profile first; then enter its secrets.
settings-ledger-title = The shop's books
settings-ledger-now-file = This counter keeps its own ledger: { $path }
settings-ledger-now-server = This counter works on the shop's server: { $address }
settings-ledger-counter = This counter's name: { $name } (change it with --terminal NAME or SALDO_TERMINAL)
settings-ledger-kept = { $count ->
    [one] One outcome waits on this counter until the shop's server answers again.
   *[other] { $count } outcomes wait on this counter until the shop's server answers again.
}
settings-ledger-demo = The demo keeps its own ledger.
settings-ledger-this-counter = This counter only
settings-ledger-shop-server = The shop's server
settings-ledger-address = Server address
settings-ledger-password = Password
settings-ledger-password-hint = kept in this counter's keychain
settings-ledger-server-help = Every counter of the shop gives the same address. The password goes to this counter's keychain, never into the address.
settings-ledger-use = Use this ledger
settings-ledger-chosen-server = The server took the login. saldo opens the shop's server { $address } from its next start: close and open saldo.
settings-ledger-chosen-file = saldo opens this counter's own ledger { $path } from its next start: close and open saldo.
settings-ledger-not-kept = The ledger opened, but the choice could not be kept: { $reason }
settings-ledger-counters = The shop's counters
settings-ledger-counter-ready = { $name }: has every profile's secrets
settings-ledger-counter-lacks = { $name }: lacks the secrets of { $profiles }
settings-counters-lacking = These counters lack this profile's secrets and cannot sell through it yet: { $counters }
settings-secrets = Secrets
settings-secrets-help = Typed secrets go straight into the system keychain and are never shown again.
settings-secret-is-saved = saved
settings-secret-not-saved = not saved yet
settings-save-secrets = Save secrets
settings-secret-saved = { $secret } saved in the keychain.
settings-test = Test connection
settings-test-tip = Reads the balance (or the cheapest thing the provider offers) with these settings
settings-test-ok = Connection works: { $detail }
settings-test-failed = Connection failed: { $reason }
settings-test-balance = balance { $balance }
settings-test-subaccounts = { $count } sub-accounts listed
settings-test-statement = the statement can be read
settings-test-secrets = every secret is saved (this provider has no read-only call; the first transfer proves the connection)
settings-error-name = “{ $name }” is not a usable profile name: use 1 to 40 letters, digits, '-', '_' or '.'.
settings-error-url = “{ $url }” is not a web address: it must start with https:// (or http:// for a test server).
settings-error-http = “{ $url }” uses plain http://, which would send the API key across the network readable: use https://. Plain http:// is only for a test server on this computer (127.0.0.1).
settings-error-denominations = The amounts sold are not right: { $reason }
settings-error-timeout = The request timeout must be a whole number of seconds from 1 to 120.
settings-error-window = The repeat guard must be a whole number of minutes from 0 to 1440.
settings-error-option = { $reason }

## Data and backups (Settings)

data-title = Your data and backups
data-folder = Data folder:
data-logs = Logs:
data-backups = Backups:
data-secrets-keychain = API keys, tokens and passwords are kept only in this computer's keychain, never in these folders.
data-secrets-demo = The demo keeps its made-up credentials in memory only.
data-logs-help = One log file a day, kept 30 days, with every request to a provider under its reference and never a secret. Send them with a crash report when something goes wrong.
data-backup-now = Back up now…
data-restore = Restore a backup…
data-restore-wait = Wait until nothing is being sent.
data-backup-done = Backed up { $count } operations to { $path }.
data-backup-done-no-dialog = The system's save dialog could not be opened, so saldo backed up { $count } operations to { $path }.
data-backup-no-file = No file chosen: no backup was made.
data-restore-no-file = No file chosen: nothing was restored.
data-restore-choose = The system's file dialog could not be opened. These are the backups saldo found; choose one to check it (nothing is restored yet):
data-restore-none-found = The system's file dialog could not be opened, and saldo found no backup in { $folder } or { $documents }.
data-restore-check = Check this backup
data-restore-list-cancel = Cancel
data-backup-file-size = { $size } KB
data-no-operations = no operations
data-restore-confirm = { $path } holds { $count } operations, the newest from { $newest }. Restoring merges it into the ledger: operations only the backup holds come back, and every operation made since stays. The ledger as it is now is also kept in the backups folder.
data-restore-yes = Restore this backup
data-restore-no = Keep the ledger as it is
data-restore-done = Restored { $count } operations: { $added } came back from the backup and { $kept } made since were kept. Nothing was forgotten; the ledger as it was is kept in { $aside }.
data-daily = Back up automatically every day
data-daily-keep = Days kept:
data-daily-last = Today's automatic backup: { $path }
data-daily-failed = The automatic backup failed: { $reason }
toast-restored = The ledger was restored from a backup: every panel shows it now.

## Provider options (the profile's provider-specific fields)

option-source = The main account's id (api_id_source)
option-user = The main account's user id
option-auth = The Authorization scheme the account uses: Token or Bearer
option-token_lifetime = How many seconds a renewed access token should last
option-login_path = The sign-in endpoint under the address
option-recharge_path = The prepaid recharge endpoint
option-status_path = The status check endpoint
option-balance_path = The wallet balance endpoint
option-dest = The optional dest field: online or offline (empty: not sent)
option-auth_mode = How the account signs in: token (the partner panel's API token) or login (user name and password)
option-operators_path = The live operator list endpoint
option-operator_category = The operator category of prepaid mobile in the live list (see the partner panel)
option-virtual_number = The account's virtual number (VirtualNumber)
option-token_valid_days = How many days (1 to 365) a new session token should last
option-statement_path = The statement endpoint tried first: credit (the official SDKs) or credits (the provider's page)

## First run

welcome-title = Welcome to saldo
welcome-intro = saldo sells phone top-ups and moves prepaid credit through your providers' accounts. Every operation is written down before it is sent, so a top-up is never sent twice and never lost — even when the network or the computer fails.
welcome-add-provider = Add your first provider
welcome-try-demo = Try the demo
welcome-demo-help = The demo opens in a window of its own, with made-up providers and sales. Nothing real is sent and your own ledger is not touched.
welcome-demo-opened = The demo is opening in its own window.
welcome-demo-failed = The demo could not be opened: { $reason }. Run saldo --demo instead.
welcome-where-title = Where your things are kept
welcome-where-ledger = Every operation: in the ledger on this computer, { $path }.
welcome-where-secrets = API keys, tokens and passwords: only in this computer's keychain, never in a file.
welcome-where-logs = What saldo did, day by day, without secrets: { $path }.
welcome-where-backups = A backup of the ledger every day (and whenever you ask): { $path }.

## Closing while something is on its way

close-title = Something is still on its way
close-explain = saldo is busy with: { $work }. If it closes now, saldo finds out at its next start what became of it — but the customer at the counter would not know yet.
close-when-done = Close when it is finished
close-keep-open = Keep saldo open
close-now = Close now
close-now-tip = saldo checks with the provider at its next start; do not send the same top-up again meanwhile
close-when-done-note = saldo closes as soon as what is on its way is finished…
close-work-topup = a top-up being sent
close-work-credit = a credit move
close-work-review = settling an operation
close-work-export = an export being written
close-work-backup = a backup or restore
interrupted-notice = { $count ->
    [one] saldo was closed while an operation was on its way ({ $references }). saldo is asking the provider what became of it: History shows it, and Needs review lists it if it cannot be settled. Do not send it again meanwhile.
   *[other] saldo was closed while { $count } operations were on their way ({ $references }). saldo is asking the provider what became of them: History shows each, and Needs review lists any that cannot be settled. Do not send them again meanwhile.
}

## Files (saving without a dialog, opening folders)

files-open-folder = Open folder
files-open-failed = Could not open { $path }: { $reason }. Open it in your file manager.
files-folder-failed = Could not make the folder { $path }: { $reason }.

## Calendar (the date picker)

calendar-months = January, February, March, April, May, June, July, August, September, October, November, December
calendar-weekdays = Mo, Tu, We, Th, Fr, Sa, Su
calendar-pick = Pick the day: { $what }
calendar-previous = Previous month
calendar-next = Next month

## Why an operation waits for a person (the ledger keeps the reason; these say it).
reason-profile-unreadable = its profile's settings or secrets cannot be read: check the profile in Settings
reason-transfer-cannot-be-asked = { $profile } cannot be asked about an earlier transfer: check child account { $child }'s points on the provider's portal, then settle it
reason-cannot-send-again = the provider cannot be sent the top-up again: check the provider's records, then settle it
reason-number-unreadable = its number cannot be read back ({ $error })
reason-request-unreadable = the request as sent cannot be read back ({ $error })
reason-request-not-kept = the provider has no record of it, and the request as sent was not kept, so it cannot be sent again as it was: check the provider's records for { $destination } { $amount } around { $at }, then settle it
reason-cannot-ask-top-up = the provider cannot be asked about an earlier top-up: check the provider's records, then settle it
reason-provider-id-lost = the provider's reply was lost, and it can only be asked by its own id: check the provider's records for { $destination } { $amount } around { $at }, then settle it
reason-no-answer = the provider did not answer { $checks } status checks
reason-no-record = the provider has no record of it, which does not mean it failed: check the provider's records for { $destination } { $amount } around { $at }, then settle it
reason-no-longer-known = the provider accepted it but no longer knows it
reason-amount-differs = the provider's order under our reference is for { $found }, not { $recorded }: it is not taken as this operation; check it with the provider, then settle it
reason-pending-too-long = still pending after a day: ask the provider
reason-pending-too-long-said = still pending after a day ({ $said }): ask the provider
reason-late-contradiction = the provider later reported it { $reported }, but the ledger says { $recorded }: check with the provider and the customer, then settle it
reason-no-balance-before = no balance was recorded before the move: compare the sub-account's history on the provider's portal, then settle it
reason-sub-accounts-unreadable = the sub-account list could not be read
reason-sub-account-gone = sub-account { $sub_account } is no longer listed: its balance cannot be compared
reason-overlapped = { $other } on the same sub-account overlapped this move, so the balances cannot tell them apart
reason-also-unknown = { $other } on the same sub-account is unknown too, so the balances cannot tell the two apart
reason-other-unsettled = { $other } on the same sub-account is not settled yet
reason-balance-moved = the balance moved by { $moved } — neither 0 nor this move's amount: { $arithmetic }
reason-readings-disagree = two balance readings disagree (first { $first }, now { $now }): the sub-account's balance is moving — { $conclusion }
reason-arithmetic = sub-account { $sub_account }: { $before } before (read { $before_at }), { $later } at { $later_at }, other settled moves { $others }; this move would change it by { $effect }
reason-executed = executed — { $arithmetic }
reason-not-executed = not executed — { $arithmetic }

note-balance-before = sub-account { $sub_account }: { $balance } before the move
note-balance-before-at = sub-account { $sub_account }: { $balance } before the move (read { $at })
note-stopped-before-sending = saldo stopped before sending it.
note-never-sent = Never sent: saldo stopped before sending it.
note-stopped-while-sending = saldo stopped while sending it, before recording the outcome: the outcome is unknown.
note-status-check = saldo asked the provider how it ended.
note-status-said = The provider says: { $said }
note-sending-again = The provider has no record of it and can no longer be executing the last send: saldo sends the very same request again, with the same reference (the provider creates it only once).
note-sent-again = Sent again with the same reference.
note-balances-agree = { $conclusion } (the same at two readings { $seconds } s apart; concluded from balances, not stated by the provider)
note-first-balance-reading = First balance reading: { $conclusion }
note-flagged = Needs review: { $reason }
note-late-outcome = A late outcome: { $reported } (the operation was already { $recorded })
note-never-sent-by-hand = Never sent (settled by hand).
note-settled-by-hand = Settled by hand as { $state }: { $note }
note-by-hand = Settled by hand: { $note }
note-kept-by-hand = Kept as { $state } by hand: { $note }
note-corrected-by-hand = Corrected to { $state } by hand: { $note }
note-balances-after = main account { $main }, sub-account { $sub_account }
note-done-without-balances = Done; the provider did not say the balances after it.

receipt-print = Print receipt
receipt-printing = Printing…
receipt-print-tip = Print the customer's receipt on this counter's printer (a second print is marked REPRINT)
receipt-no-printer = Choose a receipt printer in Settings › Receipts first
receipt-print-failed = The receipt was not printed: { $reason }
toast-receipt-printed = Receipt { $number } printed
toast-receipt-reprinted = Receipt { $number } printed again (REPRINT { $copy })
toast-receipt-saved = Receipt { $number } saved as { $file }

settings-receipts-title = Receipts
settings-receipts-shop-intro = What every counter's receipts say:
settings-receipts-shop-name = Shop name
settings-receipts-shop-address = Address
settings-receipts-language = Receipts in
settings-receipts-language-auto = The profile's country's language
settings-receipts-language-en = English
settings-receipts-language-es = Spanish
settings-receipts-language-fa = Persian
settings-receipts-mask-numbers = Hide the middle digits of the customer's number on receipts
settings-receipts-save = Save for every counter
settings-receipts-saved = Saved: every counter's receipts now say so.
settings-receipts-printer-intro = This counter's printer:
settings-receipts-printer-none = None chosen
settings-receipts-printer-network = Network thermal printer
settings-receipts-printer-system = System printer (raw ESC/POS)
settings-receipts-printer-device = Printer device (USB or serial)
settings-receipts-printer-folder = No printer: PDF files in a folder
settings-receipts-printer-where = Where
settings-receipts-printer-network-hint = 192.168.1.50:9100
settings-receipts-printer-system-hint = the printer's name (lpstat -p)
settings-receipts-printer-device-hint = /dev/usb/lp0
settings-receipts-printer-folder-hint = /home/shop/Receipts
settings-receipts-width = Paper
settings-receipts-after-every-sale = Print the receipt after every sale
