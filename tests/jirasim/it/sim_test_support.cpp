#include "tests/jirasim/it/sim_test_support.hpp"

#include <gtest/gtest.h>

namespace jirasim::testing {

rapidjson::Document parse_json(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.c_str());
  EXPECT_FALSE(doc.HasParseError()) << "not JSON: " << text.substr(0, 300);
  return doc;
}

std::string url_escape(const std::string& text) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

rapidjson::Document RunningSim::control(const std::string& path, const std::string& json,
                                        boost::beast::http::verb method) {
  HttpResult r = client.request(method, path, json, {{"Content-Type", "application/json"}});
  EXPECT_GE(r.status, 200) << path << ": " << r.body;
  EXPECT_LT(r.status, 300) << path << ": " << r.body;
  return parse_json(r.body.empty() ? "{}" : r.body);
}

}  // namespace jirasim::testing
