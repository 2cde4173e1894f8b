//! What a selection keeps (`--include-tag`, see [`crate::selection`]): only the selected
//! operations were lowered; here the named types none of them reaches, and the examples of those
//! types, are dropped, so that a user of a huge spec compiles only what they call.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{Example, Operation, TypeDef};

/// Drops the types `operations` do not reach and the examples that need them, renumbering the
/// examples the operations' bodies point at. Returns how many types were kept, of how many.
pub(super) fn prune(
    types: &mut BTreeMap<String, TypeDef>,
    examples: &mut Vec<Example>,
    operations: &mut [Operation],
) -> (usize, usize) {
    let mut reached: BTreeSet<String> = BTreeSet::new();
    let mut stack: Vec<String> = Vec::new();
    for operation in operations.iter() {
        let mut named = Vec::new();
        operation.push_named(&mut named);
        stack.extend(named.into_iter().map(str::to_owned));
    }
    while let Some(name) = stack.pop() {
        if !reached.insert(name.clone()) {
            continue;
        }
        if let Some(def) = types.get(&name) {
            let mut named = Vec::new();
            def.kind.push_named(&mut named);
            stack.extend(named.into_iter().filter(|n| !reached.contains(*n)).map(str::to_owned));
        }
    }
    let before = types.len();
    types.retain(|name, _| reached.contains(name));

    let mut renumbered: Vec<Option<usize>> = Vec::with_capacity(examples.len());
    let mut kept = Vec::new();
    for example in examples.drain(..) {
        let fits = example.ty.as_ref().is_none_or(|ty| {
            let mut named = Vec::new();
            ty.push_named(&mut named);
            named.iter().all(|name| types.contains_key(*name))
        });
        renumbered.push(fits.then_some(kept.len()));
        if fits {
            kept.push(example);
        }
    }
    *examples = kept;
    for operation in operations.iter_mut() {
        let bodies = operation
            .request
            .iter_mut()
            .chain(operation.responses.iter_mut().filter_map(|r| r.body.as_mut()));
        for body in bodies {
            body.examples = body
                .examples
                .iter()
                .filter_map(|&i| renumbered.get(i).copied().flatten())
                .collect();
        }
    }
    (types.len(), before)
}
