// tls_context: the OpenSSL server context chatbusd's client port uses when
// --tls-cert/--tls-key are set: TLS 1.2 or later, no compression, no
// renegotiation, and with --tls-ca a required client certificate.
//
// Built once at startup and then shared by every worker: OpenSSL lets many
// threads create connections from one SSL_CTX as long as nobody changes it,
// and nothing does after make_tls_context returns.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <stdexcept>
#include <string>

#include "chatbus/config.hpp"

namespace chatbus {

/// A TLS setting that cannot be used; what() names the option.
class TlsSetupError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The server context for `config` (tls_enabled() must be true). Throws
/// TlsSetupError for a file that does not parse or a key that does not
/// match the certificate.
std::unique_ptr<boost::asio::ssl::context> make_tls_context(const Config& config);

/// "" if make_tls_context(config) would succeed (or TLS is off), else its
/// message: lets config validation refuse a bad setting with exit code 2.
std::string tls_setup_problem(const Config& config);

}  // namespace chatbus
