//! Values derived from the project that panels draw every frame but that
//! change only with it: kept in egui's temporary data with the key they were
//! made for, and made again when the key changes.

/// The value stored under `name` for `key`, or `make()` stored for it.
/// `T` is cheap to clone (an `Arc` or a few numbers).
pub fn kept<K, T>(ctx: &egui::Context, name: &str, key: K, make: impl FnOnce() -> T) -> T
where
    K: PartialEq + Clone + Send + Sync + 'static,
    T: Clone + Send + Sync + 'static,
{
    let id = egui::Id::unique(name);
    if let Some((made_for, value)) = ctx.data(|d| d.get_temp::<(K, T)>(id))
        && made_for == key
    {
        return value;
    }
    let value = make();
    ctx.data_mut(|d| d.insert_temp(id, (key, value.clone())));
    value
}
