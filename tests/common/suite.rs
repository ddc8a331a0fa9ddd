//! A conformance suite's verdicts against ferrotls's: every testcase where
//! they disagree must be in the suite's table of expected differences,
//! with the reason ferrotls decides as it does, and every entry of that
//! table must still disagree, so the table stays true.

use std::collections::BTreeMap;

/// The tally of one suite's run.
#[derive(Default)]
pub struct Verdicts {
    judged: usize,
    agreed: usize,
    skipped: BTreeMap<&'static str, usize>,
    differences: Vec<(String, String)>,
}

impl Verdicts {
    /// Counts a testcase ferrotls has no input for, with the reason.
    pub fn skip(&mut self, why: &'static str) {
        *self.skipped.entry(why).or_default() += 1;
    }

    /// Records ferrotls's `verdict` on testcase `id`, which the suite
    /// expects to validate when `expected_valid`.
    pub fn judge(&mut self, id: &str, expected_valid: bool, verdict: Result<(), String>) {
        self.judged += 1;
        let (agrees, said) = match verdict {
            Ok(()) => (expected_valid, "accepted".to_owned()),
            Err(why) => (!expected_valid, format!("refused: {why}")),
        };
        if agrees {
            self.agreed += 1;
        } else {
            self.differences.push((id.to_owned(), said));
        }
    }

    /// Prints the tally and fails on a disagreement `expected` does not
    /// list, or on an entry of `expected` that now agrees.
    pub fn check(self, suite: &str, expected: &[(&str, &str)]) {
        println!(
            "{suite}: {} testcases judged, {} agree, {} skipped, {} differ",
            self.judged,
            self.agreed,
            self.skipped.values().sum::<usize>(),
            self.differences.len()
        );
        for (why, count) in &self.skipped {
            println!("  skipped {count}: {why}");
        }
        for (id, verdict) in &self.differences {
            println!("  {id}: {verdict}");
        }
        let unexplained: Vec<_> = self
            .differences
            .iter()
            .filter(|(id, _)| !expected.iter().any(|(known, _)| known == id))
            .collect();
        assert!(
            unexplained.is_empty(),
            "differences not in the table: {unexplained:#?}"
        );
        for (known, why) in expected {
            assert!(
                self.differences.iter().any(|(id, _)| id == known),
                "{known} now agrees with the suite; drop it from the table ({why})"
            );
        }
    }
}
