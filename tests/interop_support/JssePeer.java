// Java's own TLS stack (SunJSSE) as a peer for tests/interop_jsse.rs, run
// from source (`java JssePeer.java ...`, JDK 11 or later):
//
//   client PORT ROOT_PEM VERSION CONNECTIONS SERVER_NAME
//       connects CONNECTIONS times through one SSLContext (so a session
//       or ticket from one connection resumes the next), verifying the
//       server's chain to ROOT_PEM and its name, with VERSION (1.2 or
//       1.3) alone; sends `GET /` and prints one
//       `JSSE <protocol> <suite> id=<hex>` line, then the page;
//   server CHAIN_PEM KEY_PEM VERSION CONNECTIONS
//       listens on an ephemeral port of 127.0.0.1, prints
//       `listening on 127.0.0.1:<port>`, then answers CONNECTIONS
//       connections, each with one line of the request read and a page
//       with the same `JSSE ...` line it prints. KEY_PEM is a PKCS#8 EC,
//       RSA, RSASSA-PSS or Ed25519 key.
//
// The same command line as gopeer/main.go. Either side prints
// `JSSE failed: <exception>` when a connection fails.

import java.io.BufferedReader;
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
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

public class JssePeer {
    private static final char[] STORE_PASSWORD = "unused".toCharArray();

    public static void main(String[] args) throws Exception {
        if (args.length == 6 && args[0].equals("client")) {
            client(Integer.parseInt(args[1]), Path.of(args[2]), protocol(args[3]),
                Integer.parseInt(args[4]), args[5]);
        } else if (args.length == 5 && args[0].equals("server")) {
            server(Path.of(args[1]), Path.of(args[2]), protocol(args[3]),
                Integer.parseInt(args[4]));
        } else {
            System.err.println("usage: see the header of JssePeer.java");
            System.exit(2);
        }
    }

    /** JSSE's name of TLS `version` (1.2 or 1.3). */
    private static String protocol(String version) {
        if (!version.equals("1.2") && !version.equals("1.3")) {
            throw new IllegalArgumentException("version 1.2 or 1.3, not " + version);
        }
        return "TLSv" + version;
    }

    /** The PKCS#8 key in `pem`: EC, RSA, RSASSA-PSS or Ed25519. */
    private static PrivateKey privateKey(String pem) throws Exception {
        byte[] der = Base64.getDecoder()
            .decode(pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""));
        java.security.spec.InvalidKeySpecException last = null;
        for (String algorithm : new String[] {"EC", "RSA", "RSASSA-PSS", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm)
                    .generatePrivate(new PKCS8EncodedKeySpec(der));
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
        return "JSSE " + session.getProtocol() + " " + session.getCipherSuite() + " id=" + id;
    }

    private static void client(int port, Path root, String protocol, int connections,
            String serverName) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(root)) {
            trusted.setCertificateEntry("root",
                CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
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
                System.out.println("JSSE failed: " + e);
            }
            System.out.flush();
        }
    }

    private static void server(Path chainFile, Path keyFile, String protocol,
            int connections) throws Exception {
        Certificate[] chain;
        try (InputStream in = Files.newInputStream(chainFile)) {
            chain = CertificateFactory.getInstance("X.509").generateCertificates(in)
                .toArray(new Certificate[0]);
        }
        PrivateKey key = privateKey(Files.readString(keyFile));
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("leaf", key, STORE_PASSWORD, chain);
        KeyManagerFactory keyManager = KeyManagerFactory.getInstance("PKIX");
        keyManager.init(keys, STORE_PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManager.getKeyManagers(), null, null);
        try (SSLServerSocket listener = (SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(0, 16, InetAddress.getByName("127.0.0.1"))) {
            listener.setEnabledProtocols(new String[] {protocol});
            System.out.println("listening on 127.0.0.1:" + listener.getLocalPort());
            System.out.flush();
            for (int i = 0; i < connections; i++) {
                try (SSLSocket socket = (SSLSocket) listener.accept()) {
                    socket.startHandshake();
                    String line = describe(socket.getSession());
                    BufferedReader request = new BufferedReader(
                        new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                    String first = request.readLine();
                    System.out.println(line + " request=" + first);
                    OutputStream out = socket.getOutputStream();
                    out.write(("HTTP/1.0 200 OK\r\n\r\n" + line + "\n")
                        .getBytes(StandardCharsets.UTF_8));
                    out.flush();
                } catch (Exception e) {
                    System.out.println("JSSE failed: " + e);
                }
                System.out.flush();
            }
        }
    }
}
