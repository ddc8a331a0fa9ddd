// Java's own TLS stack (SunJSSE), or Bouncy Castle's (BCJSSE, with its
// jars on the class path and `-Dpeer.provider=BCJSSE`), as a peer for
// tests/interop_jsse_go_otp.rs, which compiles it with `javac` and runs
// `java -cp DIR JssePeer ...` (`java JssePeer.java ...` runs it from
// source too; JDK 11 or later). The two stacks share only the JSSE API:
// Bouncy Castle's record layer and handshakes are its own.
//
//   client PORT ROOT_PEM VERSION CONNECTIONS SERVER_NAME
//       connects CONNECTIONS times through one SSLContext (so a session
//       or ticket from one connection resumes the next), verifying the
//       server's chain to ROOT_PEM and its name, with VERSION (1.2 or
//       1.3) alone; sends `GET /` and prints one
//       `<PROVIDER> <protocol> <suite> id=<hex>` line, then the page;
//   server CHAIN_PEM KEY_PEM VERSION CONNECTIONS [CHAIN_PEM KEY_PEM]
//       listens on an ephemeral port of 127.0.0.1, prints
//       `listening on 127.0.0.1:<port>`, then answers CONNECTIONS
//       connections, each with one line of the request read and a page
//       with the same `<PROVIDER> ...` line it prints. KEY_PEM is a PKCS#8 EC,
//       RSA, RSASSA-PSS or Ed25519 key. With a second chain and key (TLS
//       1.2), the server renegotiates once the request line is read,
//       presenting that chain, before it sends the page.
//
// The same command line as gopeer/main.go (but for the renegotiation).
// Either side prints `<PROVIDER> failed: <exception>` when a connection
// fails, where PROVIDER is `SunJSSE` or `BCJSSE`.

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Security;
import java.net.Socket;
import java.security.Principal;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;

public class JssePeer {

    public static void main(String[] args) throws Exception {
        if (args.length == 6 && args[0].equals("client")) {
            client(Integer.parseInt(args[1]), Path.of(args[2]), protocol(args[3]),
                Integer.parseInt(args[4]), args[5]);
        } else if (args.length == 5 && args[0].equals("server")) {
            Identity identity = Identity.read(Path.of(args[1]), Path.of(args[2]));
            server(identity, null, protocol(args[3]), Integer.parseInt(args[4]));
        } else if (args.length == 7 && args[0].equals("server")) {
            server(Identity.read(Path.of(args[1]), Path.of(args[2])),
                Identity.read(Path.of(args[5]), Path.of(args[6])), protocol(args[3]),
                Integer.parseInt(args[4]));
        } else {
            System.err.println("usage: see the header of JssePeer.java");
            System.exit(2);
        }
    }

    /**
     * Where the peer's keys and certificates are read: the JDK's, or
     * Bouncy Castle's for BCJSSE, which does not take the JDK's Ed25519
     * keys ("No selectable cipher suite").
     */
    private static Provider keys;

    /**
     * The provider named by the `peer.provider` property: SunJSSE by
     * default, or Bouncy Castle's, loaded by name so that compiling the
     * peer needs no Bouncy Castle jar.
     */
    private static final Provider PROVIDER = provider();

    private static Provider provider() {
        String name = System.getProperty("peer.provider", "SunJSSE");
        try {
            return switch (name) {
                case "SunJSSE" -> SSLContext.getDefault().getProvider();
                case "BCJSSE" -> {
                    // Bouncy Castle's TLS on Bouncy Castle's own primitives.
                    Provider crypto = (Provider) Class
                        .forName("org.bouncycastle.jce.provider.BouncyCastleProvider")
                        .getDeclaredConstructor().newInstance();
                    Security.addProvider(crypto);
                    keys = crypto;
                    yield (Provider) Class
                        .forName("org.bouncycastle.jsse.provider.BouncyCastleJsseProvider")
                        .getDeclaredConstructor(Provider.class).newInstance(crypto);
                }
                default -> throw new IllegalArgumentException("no provider " + name);
            };
        } catch (ReflectiveOperationException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("provider " + name + ": " + e, e);
        }
    }

    /** JSSE's name of TLS `version` (1.2 or 1.3). */
    private static String protocol(String version) {
        if (!version.equals("1.2") && !version.equals("1.3")) {
            throw new IllegalArgumentException("version 1.2 or 1.3, not " + version);
        }
        return "TLSv" + version;
    }

    /** Reads certificates, with Bouncy Castle's factory for BCJSSE. */
    private static CertificateFactory certificates() throws Exception {
        return keys == null
            ? CertificateFactory.getInstance("X.509")
            : CertificateFactory.getInstance("X.509", keys);
    }

    /** The PKCS#8 key in `pem`: EC, RSA, RSASSA-PSS or Ed25519. */
    private static PrivateKey privateKey(String pem) throws Exception {
        byte[] der = Base64.getDecoder()
            .decode(pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""));
        java.security.spec.InvalidKeySpecException last = null;
        for (String algorithm : new String[] {"EC", "RSA", "RSASSA-PSS", "Ed25519"}) {
            try {
                KeyFactory factory = keys == null
                    ? KeyFactory.getInstance(algorithm)
                    : KeyFactory.getInstance(algorithm, keys);
                return factory.generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (java.security.spec.InvalidKeySpecException other) {
                last = other;
            }
        }
        throw last;
    }

    /** One line naming what the handshake of `session` settled. */
    private static String describe(SSLSession session) {
        StringBuilder id = new StringBuilder();
        for (byte b : session.getId()) {
            id.append(String.format("%02x", b));
        }
        return PROVIDER.getName() + " " + session.getProtocol() + " " + session.getCipherSuite() + " id=" + id;
    }

    private static void client(int port, Path root, String protocol, int connections,
            String serverName) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(root)) {
            trusted.setCertificateEntry("root",
                certificates().generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX", PROVIDER);
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS", PROVIDER);
        context.init(null, trust.getTrustManagers(), null);
        for (int i = 0; i < connections; i++) {
            try (SSLSocket socket =
                    (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setProtocols(new String[] {protocol});
                parameters.setServerNames(List.of(new SNIHostName(serverName)));
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                socket.setSSLParameters(parameters);
                socket.startHandshake();
                System.out.println(describe(socket.getSession()));
                OutputStream out = socket.getOutputStream();
                out.write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                BufferedReader page = new BufferedReader(
                    new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                for (String line = page.readLine(); line != null; line = page.readLine()) {
                    System.out.println("  " + line);
                }
            } catch (Exception e) {
                System.out.println(PROVIDER.getName() + " failed: " + e);
            }
            System.out.flush();
        }
    }

    /** A chain and its leaf's private key. */
    private record Identity(X509Certificate[] chain, PrivateKey key) {
        static Identity read(Path chainFile, Path keyFile) throws Exception {
            try (InputStream in = Files.newInputStream(chainFile)) {
                X509Certificate[] chain = certificates()
                    .generateCertificates(in).toArray(new X509Certificate[0]);
                return new Identity(chain, privateKey(Files.readString(keyFile)));
            }
        }
    }

    /**
     * Presents `first` until `renegotiating` is set, then `second`: the
     * handshake a server-initiated renegotiation runs gets the other chain.
     */
    private static final class Identities extends X509ExtendedKeyManager {
        private final Identity first;
        private final Identity second;
        volatile boolean renegotiating;

        Identities(Identity first, Identity second) {
            this.first = first;
            this.second = second;
        }

        private Identity current() {
            return renegotiating && second != null ? second : first;
        }

        @Override
        public String chooseServerAlias(String type, Principal[] issuers, Socket socket) {
            return current() == first ? "first" : "second";
        }

        @Override
        public String[] getServerAliases(String type, Principal[] issuers) {
            return new String[] {chooseServerAlias(type, issuers, null)};
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return (alias.equals("second") ? second : first).chain();
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return (alias.equals("second") ? second : first).key();
        }

        @Override
        public String chooseClientAlias(String[] types, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public String[] getClientAliases(String type, Principal[] issuers) {
            return null;
        }
    }

    /**
     * Renegotiates (TLS 1.2) and waits until the new handshake completes:
     * JSSE's startHandshake() only sends the HelloRequest, and the new
     * handshake runs as records are read, so a thread reads until it
     * completes. Throws when the client ends the connection instead.
     */
    private static void renegotiate(SSLSocket socket) throws Exception {
        CountDownLatch completed = new CountDownLatch(1);
        socket.addHandshakeCompletedListener(event -> completed.countDown());
        // A full handshake, whose Certificate the new chain is: the client
        // may offer this session, which must not resume.
        socket.getSession().invalidate();
        socket.startHandshake();
        InputStream in = socket.getInputStream();
        Thread reader = new Thread(() -> {
            try {
                while (in.read() >= 0) {
                    // Application data after the request line is not read.
                }
            } catch (IOException ended) {
                // The socket closed: by the client's alert, or by us.
            }
        });
        reader.setDaemon(true);
        reader.start();
        while (!completed.await(10, TimeUnit.MILLISECONDS)) {
            if (!reader.isAlive()) {
                throw new IOException("the client ended the connection in the renegotiation");
            }
        }
    }

    private static void server(Identity identity, Identity renegotiated, String protocol,
            int connections) throws Exception {
        Identities identities = new Identities(identity, renegotiated);
        SSLContext context = SSLContext.getInstance("TLS", PROVIDER);
        context.init(new KeyManager[] {identities}, null, null);
        try (SSLServerSocket listener = (SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(0, 16, InetAddress.getByName("127.0.0.1"))) {
            listener.setEnabledProtocols(new String[] {protocol});
            System.out.println("listening on 127.0.0.1:" + listener.getLocalPort());
            System.out.flush();
            for (int i = 0; i < connections; i++) {
                try (SSLSocket socket = (SSLSocket) listener.accept()) {
                    identities.renegotiating = false;
                    socket.startHandshake();
                    String line = describe(socket.getSession());
                    BufferedReader request = new BufferedReader(
                        new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                    String first = request.readLine();
                    System.out.println(line + " request=" + first);
                    if (renegotiated != null) {
                        identities.renegotiating = true;
                        renegotiate(socket);
                    }
                    OutputStream out = socket.getOutputStream();
                    out.write(("HTTP/1.0 200 OK\r\n\r\n" + line + "\n")
                        .getBytes(StandardCharsets.UTF_8));
                    out.flush();
                } catch (Exception e) {
                    System.out.println(PROVIDER.getName() + " failed: " + e);
                }
                System.out.flush();
            }
        }
    }
}
