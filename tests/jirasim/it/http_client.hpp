#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/verb.hpp>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace jirasim::testing {

struct HttpResult {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string transport_error;  // set when the connection failed mid-exchange

  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

// A small synchronous keep-alive HTTP client speaking to 127.0.0.1:port,
// authenticating as the demo user unless told otherwise.
class HttpClient {
 public:
  explicit HttpClient(int port);
  ~HttpClient();

  void set_credentials(std::optional<std::pair<std::string, std::string>> email_token);
  HttpResult request(boost::beast::http::verb method, const std::string& target,
                     const std::string& body = "",
                     const std::map<std::string, std::string>& headers = {});
  HttpResult get(const std::string& target) {
    return request(boost::beast::http::verb::get, target);
  }
  HttpResult post(const std::string& target, const std::string& json) {
    return request(boost::beast::http::verb::post, target, json,
                   {{"Content-Type", "application/json"}});
  }

 private:
  void connect();

  int port_;
  boost::asio::io_context ioc_;
  std::unique_ptr<boost::beast::tcp_stream> stream_;
  std::optional<std::pair<std::string, std::string>> credentials_;
};

std::string base64_encode(const std::string& in);

}  // namespace jirasim::testing
