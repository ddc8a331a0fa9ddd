#!/usr/bin/env python3
"""A tlslite-ng peer for tests/interop_tlslite.rs: TLS 1.3 only, one key
exchange group (tlslite-ng's name, e.g. x25519mlkem768), one connection.

  tlslite_peer.py server GROUP CHAIN KEY   listens on 127.0.0.1 (a free port,
      printed as "listening on 127.0.0.1:PORT"), answers the first read with
      "pong " + what it read
  tlslite_peer.py client GROUP PORT NAME   connects, sends "ping\\n", prints
      what comes back

tlslite-ng (with kyber-py) is a pure-Python TLS stack and ML-KEM, so it
checks ferrotls's hybrid key exchange against an independent
implementation."""
import socket
import sys

from tlslite.api import HandshakeSettings, TLSConnection, X509CertChain, parsePEMKey


def settings(group):
    s = HandshakeSettings()
    s.minVersion = (3, 4)
    s.maxVersion = (3, 4)
    s.eccCurves = [group]
    s.keyShares = [group]
    return s


def server(group, chain_file, key_file):
    chain = X509CertChain()
    with open(chain_file) as f:
        chain.parsePemList(f.read())
    with open(key_file) as f:
        key = parsePEMKey(f.read(), private=True)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    print("listening on 127.0.0.1:%d" % listener.getsockname()[1], flush=True)
    sock, _ = listener.accept()
    conn = TLSConnection(sock)
    conn.handshakeServer(certChain=chain, privateKey=key, settings=settings(group))
    conn.write(b"pong " + conn.read(max=100))
    conn.close()


def client(group, port, name):
    conn = TLSConnection(socket.create_connection(("127.0.0.1", int(port))))
    conn.handshakeClientCert(settings=settings(group), serverName=name)
    conn.write(b"ping\n")
    print(conn.read(max=100).decode(), flush=True)
    conn.close()


if __name__ == "__main__":
    role, args = sys.argv[1], sys.argv[2:]
    {"server": server, "client": client}[role](*args)
