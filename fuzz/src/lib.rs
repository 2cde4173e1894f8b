//! The fuzzers: `apigen-fuzz` feeds mutated specs to the generator; `apigen-fuzz-server` feeds
//! mutated requests to generated servers. Both share the mutations of [`mutate`].

pub mod mutate;
