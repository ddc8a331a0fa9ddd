//! Loading certificates, keys and trust anchors as an embedder does: from
//! files named by any path type, with `?` carrying every loading error
//! into `ferrotls::Error`, and server names from strings.

mod common;

use std::path::PathBuf;

use common::vectors_dir;
use ferrotls::{
    private_key_from_pem_file, CertifiedKey, Error, InvalidServerName, LoadError, RootStore,
    ServerName,
};

fn load_all(dir: PathBuf) -> Result<(CertifiedKey, RootStore), Error> {
    let key = CertifiedKey::from_pem_files(dir.join("p256-chain.pem"), dir.join("p256-leaf.key"))?;
    let roots = RootStore::from_pem_file(dir.join("p256-root.pem"))?;
    Ok((key, roots))
}

#[test]
fn files_load_from_any_path_type_and_errors_convert_with_question_mark() {
    let (key, _roots) = load_all(vectors_dir()).unwrap();
    assert_eq!(key.chain().len(), 2);
    let as_str = vectors_dir().join("p256-leaf.key");
    let signing = private_key_from_pem_file(as_str.to_str().unwrap()).unwrap();
    assert_eq!(signing.public_key(), key.key().public_key());
    let err = load_all(vectors_dir().join("no-such-directory")).unwrap_err();
    let Error::Load(load) = &err else {
        panic!("not a loading error: {err:?}")
    };
    assert!(matches!(&**load, LoadError::Io(e) if e.kind() == std::io::ErrorKind::NotFound));
    assert!(
        err.to_string().starts_with("cannot load: cannot read:"),
        "{err}"
    );
    assert_eq!(err.alert(), None, "a local error sends no alert");
}

#[test]
fn a_key_that_is_not_the_chains_is_a_loading_error() {
    let dir = vectors_dir();
    let err = CertifiedKey::from_pem_files(dir.join("p256-chain.pem"), dir.join("p384-leaf.key"))
        .map_err(Error::from)
        .unwrap_err();
    assert_eq!(
        err,
        Error::Load(std::sync::Arc::new(LoadError::Certificate(
            ferrotls::CertificateError::KeyMismatch
        )))
    );
}

#[test]
fn server_names_come_from_strings_with_errors_naming_the_input() {
    let name: ServerName = "leaf.p256.test".parse().unwrap();
    assert_eq!(name.to_string(), "leaf.p256.test");
    let err = ServerName::try_from("bad name!").unwrap_err();
    assert_eq!(err, InvalidServerName("bad name!".into()));
    assert!(err.to_string().contains("bad name!"));
}
