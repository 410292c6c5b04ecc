// session_tls: what a TLS session holds beside the plain one (private to the
// session's files). Only sessions on a TLS port have one, so a plain session
// pays one null pointer for TLS and nothing more.
//
// The stream wraps the session's own socket by reference: socket options,
// deadlines, peer address and closing stay the same code for both kinds.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <cstddef>
#include <vector>

namespace chatbus {

struct TlsLink {
  /// Bytes one read may decrypt into: a TLS record holds at most 16 KiB.
  static constexpr std::size_t input_size = 16 * 1024;
  /// Bytes one write encrypts: about one record, so the staging copy is
  /// small and bounded and the queue keeps everything else.
  static constexpr std::size_t staging_size = 16 * 1024;

  TlsLink(boost::asio::ip::tcp::socket& socket, boost::asio::ssl::context& context) : stream(socket, context) {}

  boost::asio::ssl::stream<boost::asio::ip::tcp::socket&> stream;  ///< TLS over the session's socket
  std::vector<char> input;    ///< decrypted input; made at the end of the handshake
  std::vector<char> staging;  ///< plaintext of the write in flight; made at the first write
  std::size_t staged = 0;     ///< bytes of the write in flight, taken off the queue, not yet released
  bool shutdown_started = false;  ///< close_notify sent (or being sent)
  bool plain_linger = false;      ///< TLS is over: the linger reads raw bytes
};

}  // namespace chatbus
