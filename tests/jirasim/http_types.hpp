#pragma once

#include <boost/beast/http.hpp>
#include <cstdint>
#include <string>

namespace jirasim {

namespace http = boost::beast::http;
using HttpRequest = http::request<http::string_body>;
using HttpResponse = http::response<http::string_body>;

// A response plus what the transport must do to it (fault injection).
struct HttpReply {
  HttpResponse response;
  int64_t delay_ms = 0;
  bool cut_mid_body = false;  // send the headers and half the body, then close
};

// A refusal with Jira's error envelope; thrown inside handlers, answered once.
struct ApiError {
  int status;
  std::string message;
};

HttpResponse make_response(const HttpRequest& req, int status, std::string body,
                           const char* content_type = "application/json;charset=UTF-8");

}  // namespace jirasim
