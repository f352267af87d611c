//! Measuring helpers shared by the bench binaries: the number of runs, timing
//! statistics, and the process's memory from `/proc/self/status`.

use std::time::Duration;

/// Measured runs: `MONEV_BENCH_RUNS` when set to a positive number, else `default`.
pub fn runs(default: usize) -> usize {
    std::env::var("MONEV_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n: &usize| n > 0)
        .unwrap_or(default)
}

/// Milliseconds of a duration.
pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Min, median, mean and max of a phase's times.
pub struct Stats {
    pub min: Duration,
    pub median: Duration,
    pub mean: Duration,
    pub max: Duration,
}

impl Stats {
    /// Statistics of at least one time (sorts them).
    pub fn of(times: &mut [Duration]) -> Stats {
        assert!(!times.is_empty());
        times.sort();
        let n = times.len();
        Stats {
            min: times[0],
            median: if n % 2 == 1 {
                times[n / 2]
            } else {
                (times[n / 2 - 1] + times[n / 2]) / 2
            },
            mean: times.iter().sum::<Duration>() / n as u32,
            max: times[n - 1],
        }
    }

    /// One line: "  {phase}: min … ms, median … ms, mean … ms, max … ms".
    pub fn print(&self, phase: &str) {
        println!(
            "  {phase}: min {:.1} ms, median {:.1} ms, mean {:.1} ms, max {:.1} ms",
            ms(self.min),
            ms(self.median),
            ms(self.mean),
            ms(self.max)
        );
    }
}

/// A `/proc/self/status` field in KiB (Linux), e.g. "VmHWM:".
pub fn proc_status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}
