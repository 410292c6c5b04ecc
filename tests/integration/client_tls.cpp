// LineClient over TLS: OpenSSL on the client's own non-blocking socket, so
// the poll loops (and their deadlines) of client.cpp serve both kinds.
#include <fcntl.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <csignal>
#include <cstring>

#include "client.hpp"

namespace chatbus::itest {
namespace {

/// The queued OpenSSL errors as one line (and the queue emptied).
std::string openssl_errors() {
  std::string text;
  while (const unsigned long code = ERR_get_error()) {
    char line[256];
    ERR_error_string_n(code, line, sizeof line);
    text += (text.empty() ? "" : "; ") + std::string(line);
  }
  return text.empty() ? "no OpenSSL error queued" : text;
}

int remaining(Clock::time_point until) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()).count();
  return left < 0 ? 0 : static_cast<int>(left);
}

}  // namespace

void LineClient::tls_connect(const ClientTls& tls) {
  // OpenSSL writes with write(2): a peer that went away must be an error
  // code, not a SIGPIPE that kills the test binary.
  std::signal(SIGPIPE, SIG_IGN);
  ssl_context_ = SSL_CTX_new(TLS_client_method());
  if (ssl_context_ == nullptr) fail("SSL_CTX_new: " + openssl_errors());
  SSL_CTX_set_min_proto_version(ssl_context_, TLS1_2_VERSION);
  SSL_CTX_set_verify(ssl_context_, SSL_VERIFY_PEER, nullptr);
  if (SSL_CTX_load_verify_locations(ssl_context_, tls.ca.c_str(), nullptr) != 1) {
    fail("loading CA " + tls.ca + ": " + openssl_errors());
  }
  if (!tls.cert.empty() && (SSL_CTX_use_certificate_chain_file(ssl_context_, tls.cert.c_str()) != 1 ||
                            SSL_CTX_use_PrivateKey_file(ssl_context_, tls.key.c_str(), SSL_FILETYPE_PEM) != 1)) {
    fail("loading client certificate " + tls.cert + ": " + openssl_errors());
  }
  ssl_ = SSL_new(ssl_context_);
  // The server certificate must be for the address we dialled.
  X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl_), "127.0.0.1");
  // Writes may then return after part of a buffer, and be retried from
  // wherever send_raw's view has moved on to.
  SSL_set_mode(ssl_, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) | O_NONBLOCK);
  SSL_set_fd(ssl_, fd_);
  const auto until = Clock::now() + deadline_;
  for (;;) {
    const int result = SSL_connect(ssl_);
    if (result == 1) return;
    const int error = SSL_get_error(ssl_, result);
    if (error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE) {
      const long verify = SSL_get_verify_result(ssl_);
      fail("TLS handshake: " + openssl_errors() +
           (verify != X509_V_OK ? std::string(" (") + X509_verify_cert_error_string(verify) + ")" : ""));
    }
    pollfd pfd{fd_, static_cast<short>(error == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT), 0};
    const int ready = ::poll(&pfd, 1, remaining(until));
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) fail("timed out in the TLS handshake");
  }
}

LineClient::Io LineClient::tls_receive(char* data, std::size_t size) {
  ERR_clear_error();
  const int got = SSL_read(ssl_, data, static_cast<int>(size));
  if (got > 0) return Io::moved(static_cast<std::size_t>(got));
  const int error = SSL_get_error(ssl_, got);
  switch (error) {
    case SSL_ERROR_WANT_READ:
      return Io::waiting(POLLIN);
    case SSL_ERROR_WANT_WRITE:
      return Io::waiting(POLLOUT);
    case SSL_ERROR_ZERO_RETURN:
      return Io::ended();  // close_notify
    default:
      break;
  }
  // OpenSSL 3 reports a TCP end without close_notify as an SSL error.
  const unsigned long code = ERR_peek_error();
  if ((error == SSL_ERROR_SYSCALL && code == 0 && errno == 0) ||
      ERR_GET_REASON(code) == SSL_R_UNEXPECTED_EOF_WHILE_READING) {
    ERR_clear_error();
    tls_truncated_ = true;
    return Io::ended();
  }
  if (error == SSL_ERROR_SYSCALL && code == 0) {
    return Io::failed(std::string(std::strerror(errno)) + " (the server must close cleanly)");
  }
  return Io::failed("TLS: " + openssl_errors());
}

LineClient::Io LineClient::tls_transmit(const char* data, std::size_t size) {
  ERR_clear_error();
  const int sent = SSL_write(ssl_, data, static_cast<int>(std::min<std::size_t>(size, 1 << 30)));
  if (sent > 0) return Io::moved(static_cast<std::size_t>(sent));
  const int error = SSL_get_error(ssl_, sent);
  if (error == SSL_ERROR_WANT_WRITE) return Io::waiting(POLLOUT);
  if (error == SSL_ERROR_WANT_READ) return Io::waiting(POLLIN);
  if (error == SSL_ERROR_SYSCALL && ERR_peek_error() == 0) return Io::failed(std::strerror(errno));
  return Io::failed("TLS: " + openssl_errors());
}

void LineClient::shutdown_write() {
  if (ssl_ == nullptr) {
    ::shutdown(fd_, SHUT_WR);
    return;
  }
  // close_notify: the TLS way to end our side while still reading. A full
  // socket buffer may hold it back; the tests never half-close then.
  if ((SSL_get_shutdown(ssl_) & SSL_SENT_SHUTDOWN) == 0) SSL_shutdown(ssl_);
  ERR_clear_error();
}

void LineClient::tls_free() {
  if (ssl_ != nullptr) SSL_free(ssl_);
  if (ssl_context_ != nullptr) SSL_CTX_free(ssl_context_);
  ssl_ = nullptr;
  ssl_context_ = nullptr;
}

}  // namespace chatbus::itest
