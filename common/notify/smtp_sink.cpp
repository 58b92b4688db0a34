#include "common/notify/smtp_sink.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <ctime>
#include <optional>

#include "common/log/base64.hpp"

namespace jirasync {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

std::string one_line(const std::string& text) {
  std::string out;
  for (char c : text) out += (c == '\r' || c == '\n') ? ' ' : c;
  return out;
}

// RFC 2047 for a subject that is not plain ASCII.
std::string header_text(const std::string& text) {
  for (unsigned char c : text) {
    if (c >= 0x80) return "=?UTF-8?B?" + base64_encode(text) + "?=";
  }
  return text;
}

std::string rfc5322_date(int64_t now_ms) {
  const std::time_t t = static_cast<std::time_t>(now_ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return buf;
}

// One SMTP conversation with a deadline over every read and write.
class SmtpConversation {
 public:
  SmtpConversation(const std::string& sink, int timeout_ms)
      : sink_(sink),
        deadline_(std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms)),
        socket_(io_),
        tls_context_(asio::ssl::context::tls_client) {}

  void connect(const std::string& host, int port) {
    host_ = host;
    tcp::resolver resolver(io_);
    boost::system::error_code ec;
    bool done = false;
    resolver.async_resolve(host, std::to_string(port),
                           [&](const boost::system::error_code& e, tcp::resolver::results_type r) {
                             if (e) {
                               ec = e;
                               done = true;
                               return;
                             }
                             asio::async_connect(
                                 socket_, r,
                                 [&](const boost::system::error_code& e2, const tcp::endpoint&) {
                                   ec = e2;
                                   done = true;
                                 });
                           });
    wait(done, "connecting to the relay");
    if (ec) fail("cannot connect to the relay: " + ec.message());
  }

  void start_tls() {
    tls_context_.set_default_verify_paths();
    tls_context_.set_verify_mode(asio::ssl::verify_peer);
    tls_.emplace(socket_, tls_context_);
    SSL_set_tlsext_host_name(tls_->native_handle(), host_.c_str());
    tls_->set_verify_callback(asio::ssl::host_name_verification(host_));
    boost::system::error_code ec;
    bool done = false;
    tls_->async_handshake(asio::ssl::stream_base::client, [&](const boost::system::error_code& e) {
      ec = e;
      done = true;
    });
    wait(done, "the TLS handshake");
    if (ec) fail("STARTTLS handshake failed: " + ec.message());
  }

  void send(const std::string& text) {
    boost::system::error_code ec;
    bool done = false;
    auto handler = [&](const boost::system::error_code& e, std::size_t) {
      ec = e;
      done = true;
    };
    if (tls_) {
      asio::async_write(*tls_, asio::buffer(text), handler);
    } else {
      asio::async_write(socket_, asio::buffer(text), handler);
    }
    wait(done, "writing to the relay");
    if (ec) fail("writing to the relay failed: " + ec.message());
  }

  // A reply: its code and every line's text ("250-PIPELINING" ... "250 OK").
  std::pair<int, std::vector<std::string>> reply() {
    std::vector<std::string> lines;
    while (true) {
      const std::string line = read_line();
      if (line.size() < 3) fail("the relay sent a malformed reply");
      lines.push_back(line.size() > 4 ? line.substr(4) : "");
      if (line.size() == 3 || line[3] == ' ') return {std::atoi(line.substr(0, 3).c_str()), lines};
      if (lines.size() > 100) fail("the relay's reply never ended");
    }
  }

  // Sends `command` (if any) and requires a reply code in [lo, hi].
  std::vector<std::string> expect(const std::string& command, int lo, int hi,
                                  const std::string& what) {
    if (!command.empty()) send(command + "\r\n");
    auto [code, lines] = reply();
    if (code < lo || code > hi) {
      fail(what + " refused by the relay: " + std::to_string(code) + " " +
           one_line(lines.empty() ? "" : lines.back()).substr(0, 200));
    }
    return lines;
  }

 private:
  std::string read_line() {
    boost::system::error_code ec;
    bool done = false;
    auto handler = [&](const boost::system::error_code& e, std::size_t) {
      ec = e;
      done = true;
    };
    if (tls_) {
      asio::async_read_until(*tls_, buffer_, "\r\n", handler);
    } else {
      asio::async_read_until(socket_, buffer_, "\r\n", handler);
    }
    wait(done, "reading from the relay");
    if (ec) fail("reading from the relay failed: " + ec.message());
    std::istream in(&buffer_);
    std::string line;
    std::getline(in, line);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
  }

  void wait(bool& done, const std::string& doing) {
    io_.restart();
    while (!done) {
      if (io_.run_one_until(deadline_) == 0 && !done) {
        boost::system::error_code ignored;
        socket_.close(ignored);
        io_.restart();
        io_.poll();  // lets the cancelled handler run before its captures go
        fail("timed out " + doing);
      }
    }
  }

  [[noreturn]] void fail(const std::string& what) {
    throw DeliveryError("sink " + sink_ + ": " + what);
  }

  std::string sink_;
  std::chrono::steady_clock::time_point deadline_;
  asio::io_context io_;
  tcp::socket socket_;
  asio::ssl::context tls_context_;
  std::optional<asio::ssl::stream<tcp::socket&>> tls_;
  asio::streambuf buffer_{64 * 1024};
  std::string host_;
};

bool offers_starttls(const std::vector<std::string>& ehlo) {
  for (std::string line : ehlo) {
    for (char& c : line) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (line == "STARTTLS" || line.rfind("STARTTLS ", 0) == 0) return true;
  }
  return false;
}

}  // namespace

std::string smtp_message(const SmtpSettings& settings, const OutboxEntry& entry, int64_t now_ms) {
  const PayloadText t = payload_text(entry.payload);
  std::string to;
  for (const std::string& address : settings.to) to += (to.empty() ? "" : ", ") + address;
  std::string out = "From: " + settings.from + "\r\nTo: " + to +
                    "\r\nSubject: " + header_text("[jirasync] " + one_line(t.title)) +
                    "\r\nDate: " + rfc5322_date(now_ms) + "\r\nMessage-ID: <jirasync." +
                    std::to_string(entry.id) + "." + std::to_string(entry.created_ms) + "@" +
                    settings.from.substr(settings.from.find('@') + 1) +
                    ">\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
                    "Content-Transfer-Encoding: 8bit\r\nX-Jirasync-Event: " +
                    entry.event_kind + "\r\n\r\n";
  std::string body = t.title + "\n\n" + t.text + "\n";
  std::string line;
  for (char c : body) {
    if (c == '\r') continue;
    if (c != '\n') {
      line += c;
      continue;
    }
    if (!line.empty() && line[0] == '.') out += '.';  // dot-stuffing (RFC 5321 4.5.2)
    out += line + "\r\n";
    line.clear();
  }
  return out;
}

SmtpSink::SmtpSink(std::string name, SmtpSettings settings)
    : name_(std::move(name)), settings_(std::move(settings)) {}

void SmtpSink::deliver(const OutboxEntry& entry) {
  SmtpConversation smtp(name_, settings_.timeout_ms);
  smtp.connect(settings_.host, settings_.port);
  smtp.expect("", 220, 220, "the greeting");
  std::vector<std::string> ehlo = smtp.expect("EHLO jirasync", 250, 250, "EHLO");
  if (settings_.starttls != "off" && (offers_starttls(ehlo) || settings_.starttls == "required")) {
    smtp.expect("STARTTLS", 220, 220, "STARTTLS");
    smtp.start_tls();
    smtp.expect("EHLO jirasync", 250, 250, "EHLO after STARTTLS");
  }
  smtp.expect("MAIL FROM:<" + settings_.from + ">", 250, 250, "MAIL FROM");
  for (const std::string& to : settings_.to)
    smtp.expect("RCPT TO:<" + to + ">", 250, 251, "RCPT TO");
  smtp.expect("DATA", 354, 354, "DATA");
  const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  smtp.send(smtp_message(settings_, entry, now_ms) + ".\r\n");
  smtp.expect("", 250, 250, "the message");
  try {
    smtp.expect("QUIT", 221, 221, "QUIT");
  } catch (const DeliveryError&) {
    // The message was accepted; a relay that hangs up rudely changes nothing.
  }
}

}  // namespace jirasync
