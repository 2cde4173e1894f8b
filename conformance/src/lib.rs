//! Nothing here: the tests in `tests/` check the generated crates against the source documents
//! in `../shared/docs/`, independently of the generator that wrote them.
