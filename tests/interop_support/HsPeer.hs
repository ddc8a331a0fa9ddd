{-# LANGUAGE OverloadedStrings #-}
-- Haskell's TLS stack (the `tls` package, 1.5 in Debian 12: its record
-- layer and handshakes are its own, in Haskell, on cryptonite) as a peer
-- for tests/interop_jsse_go_otp.rs, which compiles it with `ghc`:
--
--   client PORT ROOT_PEM VERSION CONNECTIONS SERVER_NAME
--       connects CONNECTIONS times, each offering the session or ticket
--       the one before received, verifying the server's chain to
--       ROOT_PEM and its name, with VERSION (1.2 or 1.3) alone; sends
--       `GET /` and prints one `HS <protocol> <suite> resumed=<bool>
--       [id=<hex>]` line, then the page (id: the TLS 1.2 session ID it
--       holds);
--   server CHAIN_PEM KEY_PEM VERSION CONNECTIONS
--       listens on an ephemeral port of 127.0.0.1, prints `listening on
--       127.0.0.1:<port>`, then answers CONNECTIONS connections, each with
--       one line of the request read and a page with the same `HS ...`
--       line it prints (id: the TLS 1.2 session ID).
--
-- The same command line as JssePeer.java and gopeer/main.go. Either side
-- prints `HS failed: <exception>` when a connection fails.
module Main (main) where

import Control.Exception (SomeException, bracket, try)
import Control.Monad (forM_)
import qualified Data.ByteString as B
import qualified Data.ByteString.Char8 as C
import qualified Data.ByteString.Lazy.Char8 as L
import Data.Default.Class (def)
import Data.IORef
import Data.X509.CertificateStore (readCertificateStore)
import Network.Socket
import qualified Network.TLS as TLS
import qualified Network.TLS.Extra.Cipher as TLS
import System.Environment (getArgs)
import System.Exit (exitWith, ExitCode (ExitFailure))
import System.IO
import Text.Printf (printf)

version :: String -> TLS.Version
version "1.3" = TLS.TLS13
version "1.2" = TLS.TLS12
version v = error ("version 1.2 or 1.3, not " ++ v)

-- | Sessions kept in memory; `latest` holds the last one established,
-- and `found` says whether the server side took one from the store.
data Sessions = Sessions
  { stored :: IORef [(TLS.SessionID, TLS.SessionData)]
  , latest :: IORef (Maybe (TLS.SessionID, TLS.SessionData))
  , found :: IORef Bool
  }

newSessions :: IO Sessions
newSessions = Sessions <$> newIORef [] <*> newIORef Nothing <*> newIORef False

manager :: Sessions -> TLS.SessionManager
manager s = TLS.SessionManager
  { TLS.sessionResume = \sid -> look sid
  , TLS.sessionResumeOnlyOnce = \sid -> do
      session <- look sid
      modifyIORef (stored s) (filter ((/= sid) . fst))
      return session
  , TLS.sessionEstablish = \sid sd -> do
      modifyIORef (stored s) ((sid, sd) :)
      writeIORef (latest s) (Just (sid, sd))
  , TLS.sessionInvalidate = \sid -> modifyIORef (stored s) (filter ((/= sid) . fst))
  }
  where
    look sid = do
      session <- lookup sid <$> readIORef (stored s)
      modifyIORef (found s) (|| maybe False (const True) session)
      return session

-- | The IANA name of the suites these tests negotiate.
suiteName :: TLS.Cipher -> String
suiteName c = case TLS.cipherID c of
  0x1301 -> "TLS_AES_128_GCM_SHA256"
  0x1302 -> "TLS_AES_256_GCM_SHA384"
  0x1303 -> "TLS_CHACHA20_POLY1305_SHA256"
  0xC02B -> "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"
  0xC02C -> "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"
  0xC02F -> "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"
  0xC030 -> "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"
  0xCCA8 -> "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"
  0xCCA9 -> "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"
  other -> printf "0x%04X" other

hex :: B.ByteString -> String
hex = concatMap (printf "%02x") . B.unpack

-- | The report line: TLS 1.3 resumed when the PSK was taken; TLS 1.2
-- resumed when the server took the session from its store, or, on the
-- client, when the server echoed the session ID offered (`offered`).
describe :: TLS.Context -> Sessions -> Maybe TLS.SessionID -> IO String
describe ctx s offered = do
  Just info <- TLS.contextGetInformation ctx
  took <- readIORef (found s)
  held <- fmap fst <$> readIORef (latest s)
  let tls13 = TLS.infoVersion info == TLS.TLS13
      protocol = if tls13 then "TLSv1.3" else "TLSv1.2"
      resumed
        | tls13 = TLS.infoTLS13HandshakeMode info == Just TLS.PreSharedKey
        | otherwise = took || (offered /= Nothing && offered == held)
      idField = case held of
        Just sid | not tls13 -> " id=" ++ hex sid
        _ -> ""
  return ("HS " ++ protocol ++ " " ++ suiteName (TLS.infoCipher info)
          ++ " resumed=" ++ (if resumed then "true" else "false") ++ idField)

-- | Application data until the peer closes.
recvAll :: TLS.Context -> IO B.ByteString
recvAll ctx = go []
  where
    go acc = do
      r <- try (TLS.recvData ctx)
      case r of
        Left e -> const (return (B.concat (reverse acc))) (e :: SomeException)
        Right d
          | B.null d -> return (B.concat (reverse acc))
          | otherwise -> go (d : acc)

report :: Either SomeException () -> IO ()
report (Left e) = putStrLn ("HS failed: " ++ show e) >> hFlush stdout
report (Right ()) = hFlush stdout

client :: String -> FilePath -> String -> Int -> String -> IO ()
client port root ver n name = do
  Just store <- readCertificateStore root
  s <- newSessions
  forM_ [1 .. n] $ \_ -> do
    offered <- readIORef (latest s)
    r <- try $ do
      let params = (TLS.defaultParamsClient name B.empty)
            { TLS.clientShared = def { TLS.sharedCAStore = store, TLS.sharedSessionManager = manager s }
            , TLS.clientSupported = def { TLS.supportedVersions = [version ver], TLS.supportedCiphers = TLS.ciphersuite_strong }
            , TLS.clientWantSessionResume = offered }
      addr : _ <- getAddrInfo Nothing (Just "127.0.0.1") (Just port)
      bracket (socket (addrFamily addr) Stream defaultProtocol) close $ \sock -> do
        connect sock (addrAddress addr)
        ctx <- TLS.contextNew sock params
        TLS.handshake ctx
        -- Described before the page: TLS 1.3 tickets come with it.
        line <- describe ctx s (fst <$> offered)
        TLS.sendData ctx "GET / HTTP/1.0\r\n\r\n"
        page <- recvAll ctx
        putStrLn line
        mapM_ (putStrLn . ("  " ++)) (lines (C.unpack page))
    report r

server :: FilePath -> FilePath -> String -> Int -> IO ()
server chain key ver n = do
  cred <- either error id <$> TLS.credentialLoadX509 chain key
  s <- newSessions
  let params = def
        { TLS.serverShared = def { TLS.sharedCredentials = TLS.Credentials [cred], TLS.sharedSessionManager = manager s }
        , TLS.serverSupported = def { TLS.supportedVersions = [version ver], TLS.supportedCiphers = TLS.ciphersuite_strong } }
  sock <- socket AF_INET Stream defaultProtocol
  bind sock (SockAddrInet 0 (tupleToHostAddress (127, 0, 0, 1)))
  listen sock 16
  port <- socketPort sock
  putStrLn ("listening on 127.0.0.1:" ++ show port)
  hFlush stdout
  forM_ [1 .. n] $ \_ -> do
    (conn, _) <- accept sock
    writeIORef (latest s) Nothing
    writeIORef (found s) False
    r <- try $ do
      ctx <- TLS.contextNew conn params
      TLS.handshake ctx
      request <- TLS.recvData ctx
      line <- describe ctx s Nothing
      putStrLn (line ++ " request=" ++ takeWhile (/= '\r') (C.unpack request))
      TLS.sendData ctx (L.pack ("HTTP/1.0 200 OK\r\n\r\n" ++ line ++ "\n"))
      TLS.bye ctx
    close conn
    report r

main :: IO ()
main = do
  args <- getArgs
  case args of
    ["client", port, root, ver, n, name] -> client port root ver (read n) name
    ["server", chain, key, ver, n] -> server chain key ver (read n)
    _ -> hPutStrLn stderr "usage: see the header of HsPeer.hs" >> exitWith (ExitFailure 2)
