// TLS on the client port (--tls-cert, --tls-key, --tls-ca): what only TLS
// has. The rest of the protocol over TLS is the whole suite run again with
// CHATBUS_TEST_TLS=1 (the `.tls` ctest entries).
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>

#include "auth_support.hpp"
#include "flow_support.hpp"

namespace chatbus::itest {
namespace {

std::vector<std::string> tls_flags(std::vector<std::string> more = {}) {
  const TlsFiles& files = tls_files();
  std::vector<std::string> flags{"--tls-cert", files.server_cert, "--tls-key", files.server_key};
  flags.insert(flags.end(), more.begin(), more.end());
  return flags;
}

/// Reads raw bytes until the server's EOF (or reset); fails after 10 s.
std::string read_raw_until_closed(LineClient& client) {
  std::string bytes;
  const auto until = Clock::now() + std::chrono::seconds(10);
  for (;;) {
    pollfd pfd{client.fd(), POLLIN, 0};
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()).count();
    if (left <= 0 || ::poll(&pfd, 1, static_cast<int>(left)) == 0) {
      ADD_FAILURE() << "the server did not close the connection within 10 s";
      return bytes;
    }
    char chunk[4096];
    const ssize_t got = ::recv(client.fd(), chunk, sizeof chunk, MSG_DONTWAIT);
    if (got < 0 && (errno == EAGAIN || errno == EINTR)) continue;
    if (got <= 0) return bytes;  // EOF, or a reset: closed either way
    bytes.append(chunk, static_cast<std::size_t>(got));
  }
}

/// True when a TLS client with `tls` is turned away: its handshake fails, or
/// (TLS 1.3 checks the client's certificate after the client finished) its
/// first read meets the server's alert or EOF instead of a reply.
testing::AssertionResult refused(const Daemon& daemon, const ClientTls& tls) {
  try {
    LineClient client(daemon.port(), 0, tls);
    client.send_line("PING");
    if (auto line = client.read_line()) return testing::AssertionFailure() << "the server answered: " << *line;
    return testing::AssertionSuccess() << "EOF";
  } catch (const std::runtime_error& e) {
    return testing::AssertionSuccess() << e.what();
  }
}

/// The daemon refused to start with exit code 2 and a message containing `message`.
void expect_config_error(const std::vector<std::string>& flags, const std::string& message) {
  const Exited run = run_to_exit(flags);
  EXPECT_TRUE(WIFEXITED(run.status) && WEXITSTATUS(run.status) == 2)
      << Daemon::describe_status(run.status) << "\n" << run.output;
  EXPECT_NE(run.output.find("chatbusd: " + message), std::string::npos) << run.output;
}

TEST(TlsPort, StartupLogSaysTls) {
  Daemon daemon(tls_flags());
  EXPECT_NE(daemon.log().find("listening on 127.0.0.1:" + std::to_string(daemon.port()) + " (tls)"),
            std::string::npos)
      << daemon.log();
}

TEST(TlsPort, QuitEndsWithCloseNotify) {
  Daemon daemon(tls_flags());
  auto client = daemon.connect();
  ASSERT_TRUE(client.tls());
  EXPECT_EQ(client.command("QUIT"), "OK");
  EXPECT_EQ(client.next_push(), "BYE quit");
  client.expect_eof();
  EXPECT_FALSE(client.tls_truncated()) << "the server closed without close_notify";
}

TEST(TlsPort, PlaintextClientIsClosedAndOthersAreStillServed) {
  Daemon daemon(tls_flags());
  auto before = daemon.connect();
  subscribe(before, "t");
  LineClient plain(daemon.port());
  plain.send_line("PING plaintext");
  const std::string answer = read_raw_until_closed(plain);
  EXPECT_EQ(answer.find("PONG"), std::string::npos) << "a plaintext command was answered";
  EXPECT_TRUE(daemon.wait_for_log("tls handshake failed", std::chrono::seconds(10))) << daemon.log();
  auto after = daemon.connect();
  EXPECT_EQ(publish(after, "t", "{}"), "OK 1");
  EXPECT_EQ(as_msg(before.next_push()).seq, 1u);
  EXPECT_EQ(before.command("PING still"), "PONG still");
}

TEST(TlsPort, HandshakeThatNeverCompletesIsClosedByTheDeadline) {
  // auth_timeout bounds the handshake when set (10 s otherwise).
  Daemon daemon(tls_flags({"--auth-token", "secret", "--auth-timeout", "300ms"}));
  LineClient silent(daemon.port());  // TCP only: it never says ClientHello
  silent.expect_eof();               // fails after 10 s if nothing closes it
  EXPECT_TRUE(daemon.wait_for_log("closed: tls handshake timed out", std::chrono::seconds(10))) << daemon.log();
  auto client = daemon.connect();
  EXPECT_EQ(client.command("AUTH secret"), "OK");
}

class ClientCertificates : public testing::Test {
 protected:
  ClientCertificates() : daemon_(tls_flags({"--tls-ca", tls_files().ca})) {}

  static ClientTls with_cert(const std::string& cert, const std::string& key) {
    return ClientTls{tls_files().ca, cert, key};
  }

  Daemon daemon_;  ///< requires a client certificate signed by the test CA
};

TEST_F(ClientCertificates, WithoutACertificateTheClientIsRefused) {
  EXPECT_TRUE(refused(daemon_, default_client_tls()));
  EXPECT_TRUE(daemon_.wait_for_log("tls handshake failed", std::chrono::seconds(10))) << daemon_.log();
}

TEST_F(ClientCertificates, ACertificateFromAnotherCaIsRefused) {
  const TlsFiles& files = tls_files();
  EXPECT_TRUE(refused(daemon_, with_cert(files.other_client_cert, files.other_client_key)));
  EXPECT_TRUE(daemon_.wait_for_log("tls handshake failed", std::chrono::seconds(10))) << daemon_.log();
}

TEST_F(ClientCertificates, ASignedCertificateSpeaksTheProtocol) {
  const TlsFiles& files = tls_files();
  const ClientTls good = with_cert(files.client_cert, files.client_key);
  LineClient subscriber(daemon_.port(), 0, good);
  LineClient publisher(daemon_.port(), 0, good);
  EXPECT_EQ(subscriber.command("HELLO").rfind("OK {\"server\":\"chatbusd\"", 0), 0u);
  subscribe(subscriber, "tls:t");
  EXPECT_EQ(publish(publisher, "tls:t", R"({"a":1})"), "OK 1");
  const Msg msg = as_msg(subscriber.next_push());
  EXPECT_EQ(msg.topic, "tls:t");
  EXPECT_EQ(msg.seq, 1u);
  EXPECT_EQ(msg.json, R"({"a":1})");
  // A refused stranger in between disturbs neither.
  EXPECT_TRUE(refused(daemon_, default_client_tls()));
  EXPECT_EQ(publish(publisher, "tls:t", "{}"), "OK 1");
  EXPECT_EQ(as_msg(subscriber.next_push()).seq, 2u);
}

TEST(TlsConfig, CertificateWithoutKeyIsRefused) {
  expect_config_error({"--tls-cert", tls_files().server_cert}, "--tls-cert is set but --tls-key is not");
  expect_config_error({"--tls-key", tls_files().server_key}, "--tls-key is set but --tls-cert is not");
}

TEST(TlsConfig, KeyThatDoesNotMatchTheCertificateIsRefused) {
  expect_config_error({"--tls-cert", tls_files().server_cert, "--tls-key", tls_files().client_key},
                      "--tls-key: \"" + tls_files().client_key + "\" does not match the certificate");
}

TEST(TlsConfig, UnreadableOrMalformedFilesAreRefused) {
  const TlsFiles& files = tls_files();
  const std::string missing = files.dir + "/missing.pem";
  expect_config_error({"--tls-cert", missing, "--tls-key", files.server_key},
                      "--tls-cert: \"" + missing + "\" is not a readable file");
  expect_config_error({"--tls-cert", files.server_cert, "--tls-key", files.server_key, "--tls-ca", files.dir},
                      "--tls-ca: \"" + files.dir + "\" is not a readable file");
  const std::string garbage = files.dir + "/garbage.pem";
  std::ofstream(garbage) << "not a certificate\n";
  expect_config_error({"--tls-cert", garbage, "--tls-key", files.server_key},
                      "--tls-cert: \"" + garbage + "\" holds no usable PEM certificate chain");
}

TEST(TlsConfig, ConfigFileKeysTurnTlsOn) {
  const TlsFiles& files = tls_files();
  const std::string path = files.dir + "/chatbusd.toml";
  std::ofstream(path) << "tls_cert = \"" << files.server_cert << "\"\ntls_key = \"" << files.server_key
                      << "\"\ntls_ca = \"" << files.ca << "\"\n";
  Daemon daemon({"--config", path, "--tls-cert", files.server_cert});  // the flag marks it a TLS daemon
  EXPECT_NE(daemon.log().find(" (tls)"), std::string::npos) << daemon.log();
  // tls_ca from the file is in force: no client certificate, no service.
  EXPECT_TRUE(refused(daemon, default_client_tls()));
  LineClient client(daemon.port(), 0, ClientTls{files.ca, files.client_cert, files.client_key});
  EXPECT_EQ(client.command("PING"), "PONG");
}

TEST(TlsConfig, EnvironmentVariablesWork) {
  // CHATBUS_TLS_CERT without CHATBUS_TLS_KEY: the same refusal as the flag.
  const std::string cert = tls_files().server_cert;
  const Exited run = run_to_exit({}, {"CHATBUS_TLS_CERT=" + cert});
  EXPECT_TRUE(WIFEXITED(run.status) && WEXITSTATUS(run.status) == 2)
      << Daemon::describe_status(run.status) << "\n" << run.output;
  EXPECT_NE(run.output.find("--tls-cert is set but --tls-key is not"), std::string::npos) << run.output;
}

TEST(TlsDelivery, FanOutArrivesInOrderAtEverySubscriber) {
  Daemon daemon(tls_flags({"--threads", "2"}));
  constexpr int subscriber_count = 20;
  constexpr int message_count = 500;
  std::vector<LineClient> subscribers;
  for (int i = 0; i < subscriber_count; ++i) {
    subscribers.push_back(daemon.connect());
    subscribe(subscribers.back(), "fan:*");
  }
  auto publisher = daemon.connect();
  std::string batch;
  for (int i = 0; i < message_count; ++i) batch += "PUB fan:t {\"i\":" + std::to_string(i) + "}\n";
  publisher.send_raw(batch);
  for (int i = 0; i < message_count; ++i) ASSERT_EQ(publisher.read_reply(), "OK 20");
  for (auto& subscriber : subscribers) {
    for (int i = 0; i < message_count; ++i) {
      ASSERT_EQ(subscriber.next_push(), "MSG fan:t " + std::to_string(i + 1) + " {\"i\":" + std::to_string(i) + "}");
    }
    EXPECT_TRUE(subscriber.barrier().empty());
  }
}

TEST(TlsDelivery, SlowConsumerGetsEverySeqAsMsgOrDropped) {
  Daemon daemon(tls_flags({"--max-pending", "16KiB", "--max-line", "4KiB", "--threads", "2"}));
  auto slow = daemon.connect(4096);
  auto publisher = daemon.connect();
  const std::vector<std::string> topics{"tls:a", "tls:b"};
  for (const auto& topic : topics) subscribe(slow, topic);
  Accounting accounting(flood_until_skipped(publisher, topics, 300));
  accounting.read_all(slow);
  EXPECT_GT(accounting.dropped(), 0u) << accounting.summary();
  EXPECT_TRUE(accounting.complete()) << accounting.summary();
  EXPECT_TRUE(slow.barrier().empty());
}

}  // namespace
}  // namespace chatbus::itest

namespace chatbus::itest {
namespace {

TEST(TlsPort, AFinWithoutCloseNotifyIsAHalfCloseThatStillGetsMessages) {
  Daemon daemon(tls_flags());
  auto subscriber = daemon.connect();
  ASSERT_TRUE(subscriber.tls());
  subscribe(subscriber, "t");
  // TCP FIN with no close_notify before it (a client that just shuts down
  // its socket): still a half-close, so the subscription keeps streaming.
  ASSERT_EQ(::shutdown(subscriber.fd(), SHUT_WR), 0);
  auto publisher = daemon.connect();
  // The FIN has no reply to wait for; the publisher's own TLS handshake
  // takes far longer than the server needs to read it, and a second PUB
  // comes later still.
  EXPECT_EQ(publish(publisher, "t", "{\"n\":1}"), "OK 1");
  EXPECT_EQ(as_msg(subscriber.next_push()).json, "{\"n\":1}");
  EXPECT_EQ(publish(publisher, "t", "{\"n\":2}"), "OK 1");
  EXPECT_EQ(as_msg(subscriber.next_push()).json, "{\"n\":2}");
}

TEST(TlsPort, AShutdownDoesNotWaitForAHandshakeThatNeverComes) {
  Daemon daemon(tls_flags({"--shutdown-timeout", "60s"}));
  LineClient silent(daemon.port());  // TCP only: it never says ClientHello
  ASSERT_TRUE(daemon.wait_for_log("connection 1 from", std::chrono::seconds(10))) << daemon.log();
  daemon.send_signal(SIGTERM);
  // Well before the 60 s shutdown_timeout: the handshaking session is
  // closed at once instead of waiting to say BYE.
  const auto status = daemon.wait_exit(std::chrono::seconds(20));
  ASSERT_TRUE(status.has_value()) << "still waiting for the handshake\n" << daemon.log();
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << Daemon::describe_status(*status);
}

}  // namespace
}  // namespace chatbus::itest
