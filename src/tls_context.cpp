// tls_context: builds the server's ssl::context (see tls_context.hpp).
#include "chatbus/tls_context.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

namespace chatbus {
namespace {

namespace ssl = boost::asio::ssl;

/// TLS 1.2 suites with forward secrecy and AEAD only (TLS 1.3 suites are
/// configured separately by OpenSSL and are all of that kind already).
constexpr const char* tls12_ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

/// Sessions resumed with a client certificate must come back to this server
/// configuration; OpenSSL refuses resumption without an id context.
constexpr unsigned char session_context[] = "chatbusd";

/// OpenSSL's reason for the last failure, else what Asio reported.
std::string reason(const boost::system::error_code& ec) {
  const unsigned long code = ERR_peek_last_error();
  ERR_clear_error();
  if (code == 0) return ec.message();
  char text[256];
  ERR_error_string_n(code, text, sizeof text);
  return text;
}

[[noreturn]] void refuse(const std::string& option, const std::string& path, const std::string& why) {
  throw TlsSetupError(option + ": \"" + path + "\" " + why);
}

void apply_protocol_settings(ssl::context& context) {
  context.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                      ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::no_compression |
                      ssl::context::single_dh_use);
  SSL_CTX* native = context.native_handle();
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  // IGNORE_UNEXPECTED_EOF: a TCP FIN without close_notify is a half-close
  // like any other, not a fatal TLS error that could fail later writes.
  SSL_CTX_set_options(native, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE |
                                  SSL_OP_IGNORE_UNEXPECTED_EOF);
  SSL_CTX_set_cipher_list(native, tls12_ciphers);
  // An idle connection then holds no OpenSSL record buffers.
  SSL_CTX_set_mode(native, SSL_MODE_RELEASE_BUFFERS);
  // An encrypted key would make OpenSSL prompt on the terminal; refuse it.
  context.set_password_callback([](std::size_t, ssl::context::password_purpose) { return std::string(); });
}

void load_identity(ssl::context& context, const Config& config) {
  boost::system::error_code ec;
  context.use_certificate_chain_file(config.tls_cert, ec);
  if (ec) refuse("--tls-cert", config.tls_cert, "holds no usable PEM certificate chain: " + reason(ec));
  context.use_private_key_file(config.tls_key, ssl::context::pem, ec);
  // OpenSSL 3 compares the key with the certificate while loading it.
  const int why = ec.category() == boost::asio::error::get_ssl_category() ? ERR_GET_REASON(ec.value()) : 0;
  if (ec && (why == X509_R_KEY_VALUES_MISMATCH || why == X509_R_KEY_TYPE_MISMATCH)) {
    ERR_clear_error();
    refuse("--tls-key", config.tls_key, "does not match the certificate in --tls-cert " + config.tls_cert);
  }
  if (ec) {
    refuse("--tls-key", config.tls_key,
           "holds no usable PEM private key (an encrypted key is not supported): " + reason(ec));
  }
  if (SSL_CTX_check_private_key(context.native_handle()) != 1) {
    ERR_clear_error();
    refuse("--tls-key", config.tls_key, "does not match the certificate in --tls-cert " + config.tls_cert);
  }
}

void require_client_certificates(ssl::context& context, const Config& config) {
  boost::system::error_code ec;
  context.load_verify_file(config.tls_ca, ec);
  if (ec) refuse("--tls-ca", config.tls_ca, "holds no usable PEM CA certificate: " + reason(ec));
  SSL_CTX* native = context.native_handle();
  // Tell clients which CAs we accept, so one holding several certs picks right.
  if (STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(config.tls_ca.c_str())) {
    SSL_CTX_set_client_CA_list(native, names);
  }
  ERR_clear_error();
  context.set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
  SSL_CTX_set_session_id_context(native, session_context, sizeof session_context - 1);
}

}  // namespace

std::unique_ptr<ssl::context> make_tls_context(const Config& config) {
  auto context = std::make_unique<ssl::context>(ssl::context::tls_server);
  apply_protocol_settings(*context);
  load_identity(*context, config);
  if (!config.tls_ca.empty()) require_client_certificates(*context, config);
  return context;
}

std::string tls_setup_problem(const Config& config) {
  if (!config.tls_enabled()) return {};
  try {
    make_tls_context(config);
  } catch (const TlsSetupError& e) {
    return e.what();
  }
  return {};
}

}  // namespace chatbus
