// encode: chatbus lines, NATS text protocol, Redis RESP (see encode.hpp).
#include "encode.hpp"

namespace chatbus::bench {
namespace {

/// RESP bulk string: $<len>\r\n<bytes>\r\n
void append_bulk(std::string& out, std::string_view s) {
  out += '$';
  out += std::to_string(s.size());
  out += "\r\n";
  out += s;
  out += "\r\n";
}

}  // namespace

void append_preamble(Broker broker, std::string& out) {
  if (broker == Broker::nats) out += "CONNECT {\"verbose\":false,\"pedantic\":false}\r\n";
}

void append_subscribe(Broker broker, std::string& out, std::string_view topic, std::uint32_t sid) {
  switch (broker) {
    case Broker::chatbus:
      out += "SUB ";
      out += topic;
      out += '\n';
      break;
    case Broker::nats:
      out += "SUB ";
      out += topic;
      out += ' ';
      out += std::to_string(sid);
      out += "\r\n";
      break;
    case Broker::redis:
      out += "*2\r\n";
      append_bulk(out, "SUBSCRIBE");
      append_bulk(out, topic);
      break;
  }
}

void append_publish(Broker broker, std::string& out, std::string_view topic,
                    std::string_view payload) {
  switch (broker) {
    case Broker::chatbus:
      out += "PUB ";
      out += topic;
      out += ' ';
      out += payload;
      out += '\n';
      break;
    case Broker::nats:
      out += "PUB ";
      out += topic;
      out += ' ';
      out += std::to_string(payload.size());
      out += "\r\n";
      out += payload;
      out += "\r\n";
      break;
    case Broker::redis:
      out += "*3\r\n";
      append_bulk(out, "PUBLISH");
      append_bulk(out, topic);
      append_bulk(out, payload);
      break;
  }
}

void append_ping(Broker broker, std::string& out) {
  switch (broker) {
    case Broker::chatbus: out += "PING\n"; break;
    case Broker::nats: out += "PING\r\n"; break;
    case Broker::redis: out += "*1\r\n$4\r\nPING\r\n"; break;
  }
}

void append_pong(std::string& out) { out += "PONG\r\n"; }

}  // namespace chatbus::bench
