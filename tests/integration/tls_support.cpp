#include "tls_support.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace chatbus::itest {
namespace {

void run(const std::string& command) {
  const std::string quiet = command + " >/dev/null 2>&1";
  if (std::system(quiet.c_str()) != 0) throw std::runtime_error("test certificates: failed: " + command);
}

/// A new EC key and a certificate request for it, in one call.
void request(const std::string& key, const std::string& csr, const std::string& subject) {
  run("openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout " + key + " -out " +
      csr + " -subj " + subject);
}

void make_ca(const std::string& dir, const std::string& name) {
  run("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -keyout " + dir +
      "/" + name + ".key -out " + dir + "/" + name + ".pem -subj /CN=chatbus-test-" + name);
}

/// Signs `name`.csr with CA `ca`, adding the extensions in `extensions`.
void sign(const std::string& dir, const std::string& name, const std::string& ca, const std::string& extensions) {
  const std::string ext_file = dir + "/" + name + ".ext";
  std::ofstream(ext_file) << extensions << "\n";
  run("openssl x509 -req -days 2 -in " + dir + "/" + name + ".csr -CA " + dir + "/" + ca + ".pem -CAkey " + dir +
      "/" + ca + ".key -CAcreateserial -out " + dir + "/" + name + ".pem -extfile " + ext_file);
}

TlsFiles generate() {
  char pattern[] = "/tmp/chatbus-tls-XXXXXX";
  if (::mkdtemp(pattern) == nullptr) throw std::runtime_error("test certificates: mkdtemp failed");
  const std::string dir = pattern;
  make_ca(dir, "ca");
  make_ca(dir, "other_ca");
  request(dir + "/server.key", dir + "/server.csr", "/CN=localhost");
  sign(dir, "server", "ca", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth");
  request(dir + "/client.key", dir + "/client.csr", "/CN=chatbus-test-client");
  sign(dir, "client", "ca", "extendedKeyUsage=clientAuth");
  request(dir + "/other_client.key", dir + "/other_client.csr", "/CN=chatbus-test-stranger");
  sign(dir, "other_client", "other_ca", "extendedKeyUsage=clientAuth");
  const auto at = [&](const char* file) { return dir + "/" + file; };
  return TlsFiles{dir,
                  at("ca.pem"),
                  at("server.pem"),
                  at("server.key"),
                  at("client.pem"),
                  at("client.key"),
                  at("other_ca.pem"),
                  at("other_client.pem"),
                  at("other_client.key")};
}

/// Owns the generated directory and removes it when the process exits.
struct Generated {
  TlsFiles files = generate();
  ~Generated() {
    std::error_code ec;
    std::filesystem::remove_all(files.dir, ec);
  }
};

}  // namespace

const TlsFiles& tls_files() {
  static const Generated generated;
  return generated.files;
}

bool tls_mode() {
  const char* value = std::getenv("CHATBUS_TEST_TLS");
  return value != nullptr && std::string(value) == "1";
}

ClientTls default_client_tls() { return ClientTls{tls_files().ca, "", ""}; }

}  // namespace chatbus::itest
