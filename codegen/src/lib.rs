//! placeholder
pub mod diagnostic;
pub mod load;
