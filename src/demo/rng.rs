//! The demo's random numbers: a hand-rolled splitmix64 and the few
//! distributions the generator draws from, all in IEEE-exact arithmetic so
//! that a seed gives the same diary on every platform.

/// splitmix64 (Steele, Lea, Flood 2014): tiny, fast and good enough for
/// made-up data.
#[derive(Debug, Clone)]
pub(super) struct Rng(pub(super) u64);

impl Rng {
    pub(super) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1), 53 bits.
    pub(super) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in [lo, hi).
    pub(super) fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// Uniform integer in lo..=hi.
    pub(super) fn int(&mut self, lo: i64, hi: i64) -> i64 {
        debug_assert!(lo <= hi);
        let n = (hi - lo + 1) as u64;
        lo + (self.next_u64() % n) as i64
    }

    pub(super) fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Roughly normal with mean 0 and standard deviation 1 (Irwin–Hall: the
    /// sum of 12 uniforms minus 6), bounded to ±6. Exact arithmetic only.
    pub(super) fn normal(&mut self) -> f64 {
        (0..12).map(|_| self.unit()).sum::<f64>() - 6.0
    }

    /// Noise within ±`half` (triangular: small values are commoner).
    pub(super) fn noise(&mut self, half: f64) -> f64 {
        (self.unit() + self.unit() - 1.0) * half
    }
}
