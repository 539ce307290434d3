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
    /// Work on the request for longer than the client waits (the simulator's hang time), then
    /// execute it anyway: the client has given up by the time the provider commits.
    LateCommit,
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
                | Fault::LateCommit
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

/// Faults drawn at random for every provider request, from a seed, so a run can be replayed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RandomFaults {
    /// Extra latency added to every request.
    pub latency_ms: u64,
    /// Each fault with the probability (0 to 1) that a request gets it.
    pub rates: Vec<(Fault, f64)>,
    pub seed: u64,
}

impl RandomFaults {
    /// Reads `name=rate,…`, e.g. `timeout-after-commit=0.05,reset=0.02,http500=0.02,malformed=0.01`.
    /// Names: timeout-before-commit, timeout-after-commit, late-commit (executed after the
    /// client gave up), reset-before-commit, reset (after the commit), malformed, and httpNNN
    /// for any status (http429, http500, http503…).
    pub fn parse_rates(text: &str) -> Result<Vec<(Fault, f64)>, String> {
        let mut rates = Vec::new();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (name, rate) = part
                .split_once('=')
                .ok_or_else(|| format!("“{part}” must look like name=rate, e.g. reset=0.02"))?;
            let rate: f64 = rate
                .trim()
                .parse()
                .ok()
                .filter(|r: &f64| (0.0..=1.0).contains(r))
                .ok_or_else(|| format!("the rate of {name} must be a number from 0 to 1"))?;
            let fault = match name.trim() {
                "timeout-before-commit" => Fault::TimeoutBeforeCommit,
                "timeout-after-commit" => Fault::TimeoutAfterCommit,
                "late-commit" => Fault::LateCommit,
                "reset-before-commit" => Fault::ResetBeforeCommit,
                "reset" | "reset-after-commit" => Fault::ResetAfterCommit,
                "malformed" => Fault::Malformed,
                other => match other
                    .strip_prefix("http")
                    .and_then(|c| c.parse::<u16>().ok())
                {
                    Some(code) if (100..600).contains(&code) => Fault::Status { code },
                    _ => {
                        return Err(format!(
                            "unknown fault “{other}”: use timeout-before-commit, \
                             timeout-after-commit, late-commit, reset-before-commit, reset, \
                             malformed or httpNNN"
                        ));
                    }
                },
            };
            rates.push((fault, rate));
        }
        let total: f64 = rates.iter().map(|(_, r)| r).sum();
        if total > 1.0 {
            return Err(format!("the rates add up to {total}, more than 1"));
        }
        Ok(rates)
    }

    /// Draws the fault (if any) for the next request.
    pub fn draw(&self, rng: &mut fastrand::Rng) -> Option<Fault> {
        let roll = rng.f64();
        let mut edge = 0.0;
        for (fault, rate) in &self.rates {
            edge += rate;
            if roll < edge {
                return Some(fault.clone());
            }
        }
        None
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
    fn random_fault_rates_are_read_and_drawn_reproducibly() {
        let rates = RandomFaults::parse_rates(
            "timeout-after-commit=0.05, reset=0.02,http500=0.02,malformed=0.01",
        )
        .unwrap();
        assert_eq!(rates.len(), 4);
        assert_eq!(rates[2], (Fault::Status { code: 500 }, 0.02));
        assert!(RandomFaults::parse_rates("reset=2").is_err());
        assert!(RandomFaults::parse_rates("reset=0.6,malformed=0.6").is_err());
        assert!(RandomFaults::parse_rates("explode=0.1").is_err());
        let faults = RandomFaults {
            latency_ms: 0,
            rates: RandomFaults::parse_rates("http500=0.3,malformed=0.2").unwrap(),
            seed: 42,
        };
        let draw = |seed| {
            let mut rng = fastrand::Rng::with_seed(seed);
            (0..1000).map(|_| faults.draw(&mut rng)).collect::<Vec<_>>()
        };
        assert_eq!(draw(42), draw(42), "the same seed replays the same faults");
        let drawn = draw(42);
        let errors = drawn
            .iter()
            .filter(|f| f == &&Some(Fault::Status { code: 500 }))
            .count();
        assert!(
            (240..=360).contains(&errors),
            "{errors} of 1000 at rate 0.3"
        );
    }

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
