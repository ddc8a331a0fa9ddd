// Go's crypto/tls as a peer for tests/interop_jsse_go_otp.rs (standard library
// only; Go 1.19 or later):
//
//	gopeer client PORT ROOT_PEM VERSION CONNECTIONS SERVER_NAME
//	    connects CONNECTIONS times with one session cache (so a ticket
//	    from one connection resumes the next), verifying the server's
//	    chain to ROOT_PEM and its name, with VERSION (1.2 or 1.3) alone;
//	    sends `GET /` and prints one `GO <version> <suite> resumed=<bool>`
//	    line, then the page;
//	gopeer server CHAIN_PEM KEY_PEM VERSION CONNECTIONS
//	    listens on an ephemeral port of 127.0.0.1, prints
//	    `listening on 127.0.0.1:<port>`, then answers CONNECTIONS
//	    connections, each with one line of the request read and a page
//	    with the same `GO ...` line it prints.
//
// Either side prints `GO failed: <error>` when a connection fails.
package main

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"
	"strconv"
)

func main() {
	if len(os.Args) != 7 && len(os.Args) != 6 {
		usage()
	}
	connections, err := strconv.Atoi(os.Args[5])
	if err != nil {
		usage()
	}
	switch {
	case os.Args[1] == "client" && len(os.Args) == 7:
		client(os.Args[2], os.Args[3], os.Args[4], connections, os.Args[6])
	case os.Args[1] == "server" && len(os.Args) == 6:
		server(os.Args[2], os.Args[3], os.Args[4], connections)
	default:
		usage()
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: see the header of gopeer/main.go")
	os.Exit(2)
}

// only sets cfg to the one version named "1.2" or "1.3".
func only(cfg *tls.Config, version string) {
	switch version {
	case "1.2":
		cfg.MinVersion, cfg.MaxVersion = tls.VersionTLS12, tls.VersionTLS12
	case "1.3":
		cfg.MinVersion, cfg.MaxVersion = tls.VersionTLS13, tls.VersionTLS13
	default:
		usage()
	}
}

// describe names what a handshake settled.
func describe(state tls.ConnectionState) string {
	version := map[uint16]string{tls.VersionTLS12: "TLSv1.2", tls.VersionTLS13: "TLSv1.3"}[state.Version]
	return fmt.Sprintf("GO %s %s resumed=%v", version, tls.CipherSuiteName(state.CipherSuite), state.DidResume)
}

func client(port, root, version string, connections int, name string) {
	pem, err := os.ReadFile(root)
	if err != nil {
		fmt.Println("GO failed:", err)
		os.Exit(1)
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(pem)
	cfg := &tls.Config{RootCAs: roots, ServerName: name, ClientSessionCache: tls.NewLRUClientSessionCache(4)}
	only(cfg, version)
	for i := 0; i < connections; i++ {
		conn, err := tls.Dial("tcp", "127.0.0.1:"+port, cfg)
		if err != nil {
			fmt.Println("GO failed:", err)
			continue
		}
		fmt.Println(describe(conn.ConnectionState()))
		if _, err := conn.Write([]byte("GET / HTTP/1.0\r\n\r\n")); err != nil {
			fmt.Println("GO failed:", err)
		}
		page := bufio.NewScanner(conn)
		for page.Scan() {
			fmt.Println("  " + page.Text())
		}
		conn.Close()
	}
}

func server(chain, key, version string, connections int) {
	certificate, err := tls.LoadX509KeyPair(chain, key)
	if err != nil {
		fmt.Println("GO failed:", err)
		os.Exit(1)
	}
	cfg := &tls.Config{Certificates: []tls.Certificate{certificate}}
	only(cfg, version)
	listener, err := tls.Listen("tcp", "127.0.0.1:0", cfg)
	if err != nil {
		fmt.Println("GO failed:", err)
		os.Exit(1)
	}
	fmt.Println("listening on", listener.Addr().String())
	for i := 0; i < connections; i++ {
		conn, err := listener.Accept()
		if err != nil {
			fmt.Println("GO failed:", err)
			continue
		}
		tlsConn := conn.(*tls.Conn)
		if err := tlsConn.Handshake(); err != nil {
			fmt.Println("GO failed:", err)
			conn.Close()
			continue
		}
		line := describe(tlsConn.ConnectionState())
		request, _ := bufio.NewReader(conn).ReadString('\n')
		fmt.Printf("%s request=%q\n", line, request)
		if _, err := conn.Write([]byte("HTTP/1.0 200 OK\r\n\r\n" + line + "\n")); err != nil {
			fmt.Println("GO failed:", err)
		}
		conn.Close()
	}
}
