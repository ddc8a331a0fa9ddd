//! Interop in the key-exchange groups ring lacks, both ways, in TLS 1.3
//! (RFC 8446 §4.2.7) and TLS 1.2: ECDHE (RFC 8422 §5.1) in secp521r1 and
//! X448, DHE_RSA (RFC 5246 §7.4.3, RFC 7919) in ffdhe2048 and ffdhe3072:
//! our client against `openssl s_server` (OpenSSL 3.0) and `gnutls-serv`
//! (GnuTLS 3.7) that accept only the group, and `openssl s_client` and
//! `gnutls-cli` that offer only the group against `ferrotls server`. Each
//! test checks the group both sides report. The same runs with the P-521
//! chain check `ecdsa_secp521r1_sha512` and P-521 certificates. A missing
//! peer binary fails the test (see `tests/run.sh`).
//!
//! The TLS 1.2 runs use the RSA chain: an ECDSA certificate's curve must
//! itself be among the client's groups in TLS 1.2 (RFC 8422 §5.1), and
//! these peers offer one group only; the finite-field groups run in TLS
//! 1.2 with TLS_DHE_RSA_WITH_AES_128_GCM_SHA256, which every side enables
//! for them (it is opt-in here).
//!
//! The last three tests run the choice among several groups: our server
//! against both clients, with tiers that ask for a better group with a
//! HelloRetryRequest (RFC 8446 §4.2.8) and the supported_groups of
//! EncryptedExtensions when it takes a share of a group it prefers less
//! (§4.2.7); and our client against both servers, sending on its next
//! connection a share for the group a server asked it for.

mod interop_support;

use interop_support::*;

/// A group under the names each implementation gives it.
struct Group {
    /// IANA name, as our JSON report prints it.
    iana: &'static str,
    /// `openssl -groups` name.
    openssl: &'static str,
    /// What `openssl s_client` prints after "Server Temp Key: ".
    openssl_temp_key: &'static str,
    /// GnuTLS priority-string group (`+GROUP-...`), also its name in the
    /// session description.
    gnutls: &'static str,
    /// Whether the group is finite-field: TLS 1.2 then needs a DHE suite.
    ffdhe: bool,
}

impl Group {
    /// How GnuTLS's session description names the key exchange, e.g.
    /// `(ECDHE-SECP521R1)` or `(DHE-FFDHE2048)`.
    fn gnutls_description(&self) -> String {
        let kx = if self.ffdhe { "DHE" } else { "ECDHE" };
        format!("({kx}-{})", self.gnutls)
    }

    /// The suites a side enables for this group in `version`: `None` for
    /// the defaults, the DHE suite (beside a TLS 1.3 suite, which a server
    /// of every version needs) for a finite-field group.
    fn ciphers(&self, version: &Version) -> Option<&'static str> {
        match (self.ffdhe, version.ours) {
            (false, _) => None,
            (true, "1.2") => Some(DHE_SUITE),
            (true, _) => Some("TLS_AES_128_GCM_SHA256"),
        }
    }
}

/// The TLS 1.2 suite the finite-field runs use, OpenSSL's name.
const DHE_SUITE: &str = "DHE-RSA-AES128-GCM-SHA256";

const GROUPS: &[Group] = &[
    Group {
        iana: "secp521r1",
        openssl: "P-521",
        openssl_temp_key: "ECDH, secp521r1, 521 bits",
        gnutls: "SECP521R1",
        ffdhe: false,
    },
    Group {
        iana: "x448",
        openssl: "X448",
        openssl_temp_key: "X448, 448 bits",
        gnutls: "X448",
        ffdhe: false,
    },
    Group {
        iana: "ffdhe2048",
        openssl: "ffdhe2048",
        openssl_temp_key: "DH, 2048 bits",
        gnutls: "FFDHE2048",
        ffdhe: true,
    },
    Group {
        iana: "ffdhe3072",
        openssl: "ffdhe3072",
        openssl_temp_key: "DH, 3072 bits",
        gnutls: "FFDHE3072",
        ffdhe: true,
    },
];

/// A protocol version under the names each tool gives it.
#[derive(Clone, Copy)]
struct Version {
    /// Our JSON report's name.
    report: &'static str,
    /// `ferrotls client --max-version`.
    ours: &'static str,
    /// `openssl s_server`/`s_client` option.
    openssl: &'static str,
    /// GnuTLS priority-string version.
    gnutls: &'static str,
    /// The test chain: P-256 for TLS 1.3, RSA for TLS 1.2 (module doc).
    key_type: &'static str,
}

const VERSIONS: &[Version] = &[
    Version {
        report: "TLSv1.3",
        ours: "1.3",
        openssl: "-tls1_3",
        gnutls: "VERS-TLS1.3",
        key_type: "p256",
    },
    Version {
        report: "TLSv1.2",
        ours: "1.2",
        openssl: "-tls1_2",
        gnutls: "VERS-TLS1.2",
        key_type: "rsa2048",
    },
];

/// The GnuTLS priority string that allows `group` and `version` only
/// (and DHE key exchange for a finite-field group in TLS 1.2).
fn gnutls_priority(group: &Group, version: &Version) -> String {
    let kx = if group.ffdhe && version.ours == "1.2" {
        ":-KX-ALL:+DHE-RSA"
    } else {
        ""
    };
    format!(
        "NORMAL:-GROUP-ALL:+GROUP-{}:-VERS-ALL:+{}{kx}",
        group.gnutls, version.gnutls
    )
}

/// `ferrotls server` for one connection in `group` (finite-field groups
/// and their TLS 1.2 suite are opt-in).
fn our_server(group: &Group, version: &Version) -> (Peer, u16) {
    let mut args = vec!["--max-connections", "1", "--groups", group.iana];
    if let Some(ciphers) = group.ciphers(version) {
        args.extend(["--ciphers", ciphers]);
        if version.ours == "1.2" {
            args.extend(["--max-version", "1.2"]);
        }
    }
    ferrotls_server_with(version.key_type, &args)
}

/// Runs `ferrotls client` against 127.0.0.1:`port` offering only `group`,
/// at most `version`, trusting `version`'s test chain; checks the one
/// handshake it reports, in `group`, and returns its output.
fn our_client(port: u16, group: &Group, version: &Version) -> String {
    our_client_reporting(port, group, version, group.iana)
}

/// [`our_client`], with the group the report must name (`null` for a
/// TLS 1.2 server's own DHE group).
fn our_client_reporting(port: u16, group: &Group, version: &Version, reported: &str) -> String {
    let root = vector(&format!("{}-root.pem", version.key_type));
    let name = format!("leaf.{}.test", version.key_type);
    let mut extra = vec!["--groups", group.iana, "--max-version", version.ours];
    if let Some(ciphers) = group.ciphers(version) {
        extra.extend(["--ciphers", ciphers]);
    }
    let (status, out) = ferrotls_client_trusting(port, &root, &name, &extra);
    assert!(status.success(), "{} {}: {out}", group.iana, version.report);
    let json = json_lines(&out);
    assert_eq!(json.len(), 1, "{out}");
    assert_eq!(json[0].get("version"), version.report, "{out}");
    assert_eq!(json[0].get("group"), reported, "{out}");
    out
}

/// Checks the one handshake `ferrotls server` reported on exit.
fn check_our_server(server: Peer, group: &Group, version: &Version) {
    let report = one_report(server);
    assert_eq!(report.get("version"), version.report, "{report:?}");
    assert_eq!(report.get("group"), group.iana, "{report:?}");
}

/// The one handshake our `ferrotls server` reported on exit.
fn one_report(server: Peer) -> Json {
    let (status, log) = server.wait_exit();
    assert!(status.success(), "{log}");
    let mut json = json_lines(&log);
    assert_eq!(json.len(), 1, "{log}");
    json.remove(0)
}

/// Every version with every group, then the same with the P-521 chain,
/// except that TLS 1.2 with the P-521 chain runs in secp521r1 only (the
/// certificate's curve must be offered, module doc), and that the TLS 1.2
/// DHE_RSA suites come with feature `legacy`.
fn runs() -> Vec<(Version, &'static Group)> {
    let p521 = VERSIONS.iter().map(|v| Version {
        key_type: "p521",
        ..*v
    });
    VERSIONS
        .iter()
        .copied()
        .chain(p521)
        .flat_map(|version| {
            GROUPS
                .iter()
                .filter(move |g| {
                    version.key_type != "p521" || version.ours == "1.3" || g.iana == "secp521r1"
                })
                // DHE_RSA needs the RSA chain; ffdhe in TLS 1.3 runs with
                // the P-256 one.
                .filter(move |g| !g.ffdhe || version.key_type != "p521")
                .filter(move |g| !g.ffdhe || version.ours == "1.3" || cfg!(feature = "legacy"))
                .map(move |group| (version, group))
        })
        .collect()
}

/// OpenSSL 3.0 does not negotiate RFC 7919 groups in TLS 1.2 (it signs
/// its `-dhparam` group, whatever the client lists): the runs there give
/// it the group's own parameters, written by `openssl genpkey`, so that
/// our client must recognise a signed RFC 7919 group as one (RFC 7919 §3).
#[test]
fn our_client_against_openssl_in_each_group() {
    let scratch = Scratch::new("groups-openssl");
    for (version, group) in &runs() {
        let mut extra = vec!["-www", "-groups", group.openssl];
        let dhparam = scratch.file(&format!("{}.pem", group.openssl));
        if group.ffdhe && version.ours == "1.2" {
            let param = format!("group:{}", group.openssl);
            let (status, out) = run(
                "openssl",
                &[
                    "genpkey",
                    "-genparam",
                    "-algorithm",
                    "DH",
                    "-pkeyopt",
                    &param,
                    "-out",
                    &dhparam,
                ],
                b"",
            );
            assert!(status.success(), "{out}");
            extra.extend(["-dhparam", &dhparam]);
        }
        let (_server, port) = openssl_server(version.key_type, &[version.openssl], &extra);
        let out = our_client(port, group, version);
        assert!(out.contains("New, TLSv1."), "{out}");
    }
}

/// OpenSSL 3.0's own TLS 1.2 DHE group (its automatic choice for the
/// certificate's key size) is not an RFC 7919 group: our client accepts
/// it (RFC 7919 §3: 2048 bits and more) and reports no named group. The
/// DHE_RSA suites come with feature `legacy`.
#[cfg(feature = "legacy")]
#[test]
fn our_client_takes_openssl_s_servers_own_dhe_group() {
    let group = GROUPS.iter().find(|g| g.iana == "ffdhe2048").unwrap();
    let version = VERSIONS.iter().find(|v| v.ours == "1.2").unwrap();
    let (_server, port) = openssl_server(version.key_type, &[version.openssl], &["-www"]);
    let out = our_client_reporting(port, group, version, "null");
    assert!(out.contains("TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"), "{out}");
    assert!(out.contains("Cipher is DHE-RSA-AES128-GCM-SHA256"), "{out}");
}

#[test]
fn openssl_s_client_against_our_server_in_each_group() {
    for (version, group) in &runs() {
        let (server, port) = our_server(group, version);
        let connect = format!("127.0.0.1:{port}");
        let root = vector(&format!("{}-root.pem", version.key_type));
        let name = format!("leaf.{}.test", version.key_type);
        let mut args = vec![
            "s_client",
            version.openssl,
            "-groups",
            group.openssl,
            "-connect",
            &connect,
            "-servername",
            &name,
            "-CAfile",
            &root,
            "-verify_return_error",
            "-ign_eof",
        ];
        if group.ffdhe && version.ours == "1.2" {
            args.extend(["-cipher", DHE_SUITE]);
        }
        let (_, out) = run("openssl", &args, b"GET / HTTP/1.0\r\n\r\n");
        assert!(
            out.contains(&format!("Server Temp Key: {}", group.openssl_temp_key)),
            "{} {}: {out}",
            group.iana,
            version.report
        );
        assert!(out.contains("ferrotls server"), "{out}");
        assert!(out.contains("Verify return code: 0 (ok)"), "{out}");
        if version.key_type == "p521" {
            assert!(out.contains("Peer signing digest: SHA512"), "{out}");
        }
        check_our_server(server, group, version);
    }
}

#[test]
fn our_client_against_gnutls_serv_in_each_group() {
    for (version, group) in &runs() {
        let priority = gnutls_priority(group, version);
        let (_server, port) = gnutls_server(version.key_type, &["--priority", &priority]);
        our_client(port, group, version);
    }
}

#[test]
fn gnutls_cli_against_our_server_in_each_group() {
    for (version, group) in &runs() {
        let (server, port) = our_server(group, version);
        let root = vector(&format!("{}-root.pem", version.key_type));
        let name = format!("leaf.{}.test", version.key_type);
        let port_text = port.to_string();
        let priority = gnutls_priority(group, version);
        let (_, out) = run_until(
            "gnutls-cli",
            &[
                "-p",
                &port_text,
                "--x509cafile",
                &root,
                "--sni-hostname",
                &name,
                "--verify-hostname",
                &name,
                "--priority",
                &priority,
                "127.0.0.1",
            ],
            b"GET / HTTP/1.0\r\n\r\n",
            "peer_certificates",
        );
        // The session description names the group, e.g.
        // "(TLS1.3-X.509)-(ECDHE-SECP521R1)-(ECDSA-SECP256R1-SHA256)-...".
        assert!(
            out.contains(&group.gnutls_description()),
            "{} {}: {out}",
            group.iana,
            version.report
        );
        // The signature: "(ECDSA-SECP521R1-SHA512)" in TLS 1.3,
        // "(ECDSA-SHA512)" in TLS 1.2.
        if version.key_type == "p521" {
            assert!(out.contains("-SHA512)-("), "{out}");
        }
        check_our_server(server, group, version);
    }
}

/// What a peer's log says between the first `start` and the next `end`
/// (or its end): what it printed about one message.
fn between<'a>(log: &'a str, start: &str, end: &str) -> &'a str {
    let (_, after) = log
        .split_once(start)
        .unwrap_or_else(|| panic!("no {start:?}: {log}"));
    after.split(end).next().unwrap_or(after)
}

/// RFC 8446 §4.2.8 and §4.2.7 with `openssl s_client`, which sends a key
/// share for its first group only (X25519) and also lists P-384: a
/// server whose groups are tiers (`--groups P-384/x25519`, OpenSSL 3.5's
/// tuples) asks for P-384 with a HelloRetryRequest rather than take the
/// X25519 share; the same groups as one list take the share and, as the
/// server prefers P-384, list its groups in EncryptedExtensions, which
/// OpenSSL parses (`-tlsextdebug` names it under that message).
#[test]
fn openssl_s_client_is_asked_for_our_better_tier_or_told_our_groups() {
    for (groups, server_hellos, temp_key, announced, group) in [
        ("P-384/x25519", 2, "ECDH, secp384r1", false, "secp384r1"),
        ("P-384,x25519", 1, "X25519", true, "x25519"),
    ] {
        let (server, port) =
            ferrotls_server_with("p256", &["--max-connections", "1", "--groups", groups]);
        let options = ["-groups", "X25519:P-384", "-msg", "-tlsextdebug"];
        let out = s_client_to_p256(port, &options, b"GET / HTTP/1.0\r\n\r\n");
        assert_eq!(
            out.matches(", ServerHello").count(),
            server_hellos,
            "{groups}: {out}"
        );
        assert!(
            out.contains(&format!("Server Temp Key: {temp_key}")),
            "{groups}: {out}"
        );
        let encrypted_extensions = between(&out, ", EncryptedExtensions", "<<<");
        assert_eq!(
            encrypted_extensions.contains("\"supported_groups\" (id=10)"),
            announced,
            "{groups}: {out}"
        );
        assert_eq!(one_report(server).get("group"), group);
    }
}

/// The same with `gnutls-cli`, which sends key shares for its first two
/// groups (X25519 and P-384) and also lists P-521: tiers `P-521/x25519`
/// ask it for P-521 (its debug log names the HelloRetryRequest's group);
/// one list `P-521,x25519` has it take X25519 and parse our groups in
/// EncryptedExtensions.
#[test]
fn gnutls_cli_is_asked_for_our_better_tier_or_told_our_groups() {
    for (groups, retry, announced, description) in [
        ("P-521/x25519", true, false, "(ECDHE-SECP521R1)"),
        ("P-521,x25519", false, true, "(ECDHE-X25519)"),
    ] {
        let (server, port) =
            ferrotls_server_with("p256", &["--max-connections", "1", "--groups", groups]);
        let priority = "NORMAL:-GROUP-ALL:+GROUP-X25519:+GROUP-SECP384R1:+GROUP-SECP521R1:-VERS-ALL:+VERS-TLS1.3";
        let out = gnutls_cli_to_p256(
            port,
            &["-d", "4", "--priority", priority],
            b"GET / HTTP/1.0\r\n\r\n",
            "peer_certificates",
        );
        assert!(out.contains(description), "{groups}: {out}");
        assert_eq!(
            out.contains("HRR key share with SECP521R1"),
            retry,
            "{groups}: {out}"
        );
        let encrypted_extensions =
            between(&out, "parsing encrypted extensions", "parsing certificate");
        assert_eq!(
            encrypted_extensions.contains("Parsing extension 'Supported Groups/10'"),
            announced,
            "{groups}: {out}"
        );
        let ours = if retry { "secp521r1" } else { "x25519" };
        assert_eq!(one_report(server).get("group"), ours);
    }
}

/// Our client with its defaults (shares for X25519MLKEM768 and X25519)
/// against `openssl s_server` and `gnutls-serv` that accept P-256 alone:
/// the first connection is asked for P-256 with a HelloRetryRequest, and
/// the second, resuming from the same store, sends P-256's share beside
/// the hybrid's and is not asked again (`--trace` prints each
/// ClientHello: two, then one). Both report secp256r1.
#[test]
fn our_client_sends_the_group_a_server_asked_for_on_its_next_connection() {
    let (_openssl, openssl_port) = openssl_server("p256", &[], &["-www", "-groups", "P-256"]);
    let priority = "NORMAL:-GROUP-ALL:+GROUP-SECP256R1:-VERS-ALL:+VERS-TLS1.3";
    let (_gnutls, gnutls_port) = gnutls_server("p256", &["--priority", priority]);
    for port in [openssl_port, gnutls_port] {
        let (status, out) = ferrotls_client(port, &["--connections", "2", "--trace"]);
        assert!(status.success(), "{out}");
        let hellos: Vec<usize> = out
            .split(">>> Finished")
            .map(|connection| connection.matches(">>> ClientHello").count())
            .collect();
        assert_eq!(hellos[..2], [2, 1], "{out}");
        let json = json_lines(&out);
        assert_eq!(json.len(), 2, "{out}");
        for report in &json {
            assert_eq!(report.get("group"), "secp256r1", "{out}");
        }
        assert_eq!(json[1].get("resumed"), "true", "{out}");
        // Another process, given the session the first wrote, needs no
        // HelloRetryRequest either: the ticket carries its group.
        let dir = Scratch::new("hint-export");
        let sess = dir.file("session.bin");
        let (status, out) = ferrotls_client(port, &["--sess-out", &sess]);
        assert!(status.success(), "{out}");
        let (status, out) = ferrotls_client(port, &["--sess-in", &sess, "--trace"]);
        assert!(status.success(), "{out}");
        assert_eq!(out.matches(">>> ClientHello").count(), 1, "{out}");
        let json = json_lines(&out);
        assert_eq!(json[0].get("resumed"), "true", "{out}");
        assert_eq!(json[0].get("group"), "secp256r1", "{out}");
    }
}
