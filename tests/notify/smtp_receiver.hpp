#pragma once

// Test-only: a local SMTP server on 127.0.0.1:0 speaking just enough SMTP
// (EHLO, MAIL, RCPT, DATA, QUIT; no STARTTLS offered) to take notifications,
// refusing MAIL FROM with 451 for the first `refusals` conversations.

#include <boost/asio.hpp>

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace jirasync::testing {

struct ReceivedMail {
  std::string from;
  std::vector<std::string> to;
  std::string data;  // as sent, dot-stuffed, without the final "."
};

class SmtpReceiver {
 public:
  explicit SmtpReceiver(int refusals = 0)
      : refusals_(refusals), acceptor_(io_, {boost::asio::ip::make_address("127.0.0.1"), 0}) {
    port_ = acceptor_.local_endpoint().port();
    thread_ = std::thread([this] { serve(); });
  }
  ~SmtpReceiver() {
    stop_ = true;
    boost::system::error_code ignored;
    // Wakes accept() with a connection of our own.
    boost::asio::ip::tcp::socket poke(io_);
    poke.connect({boost::asio::ip::make_address("127.0.0.1"), port_}, ignored);
    thread_.join();
  }
  int port() const { return port_; }
  std::vector<ReceivedMail> mails() const {
    std::lock_guard lk(mu_);
    return mails_;
  }
  int conversations() const { return conversations_; }

 private:
  void serve() {
    while (!stop_) {
      boost::asio::ip::tcp::socket s(io_);
      boost::system::error_code ec;
      acceptor_.accept(s, ec);
      if (ec || stop_) return;
      ++conversations_;
      try {
        converse(s);
      } catch (const std::exception&) {
        // The client went away; take the next one.
      }
    }
  }
  static void say(boost::asio::ip::tcp::socket& s, const std::string& line) {
    boost::asio::write(s, boost::asio::buffer(line + "\r\n"));
  }
  std::string line(boost::asio::ip::tcp::socket& s) {
    const size_t n = boost::asio::read_until(s, buffer_, "\r\n");
    std::string out(boost::asio::buffers_begin(buffer_.data()),
                    boost::asio::buffers_begin(buffer_.data()) + static_cast<long>(n) - 2);
    buffer_.consume(n);
    return out;
  }
  void converse(boost::asio::ip::tcp::socket& s) {
    say(s, "220 receiver.test ESMTP");
    ReceivedMail mail;
    while (true) {
      const std::string cmd = line(s);
      if (cmd.rfind("EHLO", 0) == 0) {
        say(s, "250-receiver.test");
        say(s, "250 SIZE 1000000");
      } else if (cmd.rfind("MAIL FROM:", 0) == 0) {
        if (refusals_ > 0) {
          --refusals_;
          say(s, "451 4.3.0 try again later");
          continue;
        }
        mail.from = cmd.substr(10);
        say(s, "250 OK");
      } else if (cmd.rfind("RCPT TO:", 0) == 0) {
        mail.to.push_back(cmd.substr(8));
        say(s, "250 OK");
      } else if (cmd == "DATA") {
        say(s, "354 go ahead");
        std::string data;
        for (std::string l = line(s); l != "."; l = line(s)) data += l + "\r\n";
        mail.data = data;
        {
          std::lock_guard lk(mu_);
          mails_.push_back(mail);
        }
        say(s, "250 queued");
      } else if (cmd == "QUIT") {
        say(s, "221 bye");
        return;
      } else {
        say(s, "502 not here");
      }
    }
  }

  std::atomic<int> refusals_;
  std::atomic<bool> stop_{false};
  std::atomic<int> conversations_{0};
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::streambuf buffer_;
  unsigned short port_ = 0;
  mutable std::mutex mu_;
  std::vector<ReceivedMail> mails_;
  std::thread thread_;
};

}  // namespace jirasync::testing
