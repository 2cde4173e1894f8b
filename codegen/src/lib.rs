//! placeholder
pub mod diagnostic;
pub mod ir;
pub mod load;
pub mod lower;
pub mod naming;
