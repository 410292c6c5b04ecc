// tls_support: throwaway certificates for the TLS tests, and the switch that
// runs the whole integration suite over TLS.
//
// The certificates are made with the `openssl` command on first use, once
// per test process, in a fresh directory under /tmp that is removed at exit:
// a CA, a server certificate for 127.0.0.1/localhost and a client
// certificate it signed, and an unrelated second CA with its own client
// certificate. EC P-256 keys, so generating them takes milliseconds.
#pragma once

#include <optional>
#include <string>

namespace chatbus::itest {

/// Paths of the generated PEM files.
struct TlsFiles {
  std::string dir;                ///< the temporary directory holding them all
  std::string ca;                 ///< the test CA's certificate
  std::string server_cert;        ///< for IP 127.0.0.1 and DNS localhost, signed by ca
  std::string server_key;         ///< its key
  std::string client_cert;        ///< a client certificate signed by ca
  std::string client_key;         ///< its key
  std::string other_ca;           ///< an unrelated CA
  std::string other_client_cert;  ///< a client certificate signed by other_ca
  std::string other_client_key;   ///< its key
};

/// The certificates, generated on first call (throws if openssl fails).
const TlsFiles& tls_files();

/// True when CHATBUS_TEST_TLS=1: every Daemon then serves TLS and every
/// Daemon::connect() speaks it.
bool tls_mode();

/// How a LineClient speaks TLS.
struct ClientTls {
  std::string ca;    ///< verify the server's certificate (for 127.0.0.1) against this CA
  std::string cert;  ///< client certificate to present; empty = none
  std::string key;   ///< its key
};

/// Verifies the server against the test CA and presents no certificate.
ClientTls default_client_tls();

}  // namespace chatbus::itest
