#include "services/api/api_router.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

#include <spdlog/spdlog.h>

#include "common/http/service_http_server.hpp"
#include "common/url/percent_encoding.hpp"
#include "services/api/api_error.hpp"

namespace jirasync {
namespace {

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> segments;
  std::size_t start = 1;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    segments.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return segments;
}

bool is_parameter(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

bool is_rest_parameter(const std::string& segment) {
  return is_parameter(segment) && segment.size() > 5 &&
         segment.compare(segment.size() - 4, 4, "...}") == 0;
}

std::string parameter_name(const std::string& segment) {
  std::string name = segment.substr(1, segment.size() - 2);
  if (name.size() > 3 && name.compare(name.size() - 3, 3, "...") == 0) name.resize(name.size() - 3);
  return name;
}

std::string decode_segment(const std::string& raw, const std::string& name) {
  auto decoded = percent_decode(raw);
  if (!decoded) throw std::invalid_argument("path parameter " + name + ": bad percent-encoding");
  return *decoded;
}

// The path's parameters when the path's segments fit the pattern's, else nullopt.
std::optional<std::map<std::string, std::string>> match(const std::vector<std::string>& want,
                                                        const std::vector<std::string>& have) {
  std::map<std::string, std::string> values;
  for (std::size_t i = 0; i < want.size(); ++i) {
    if (is_rest_parameter(want[i])) {
      if (i >= have.size() || have[i].empty()) return std::nullopt;
      std::string rest = have[i];
      for (std::size_t j = i + 1; j < have.size(); ++j) rest += "/" + have[j];
      values[parameter_name(want[i])] = decode_segment(rest, parameter_name(want[i]));
      return values;
    }
    if (i >= have.size()) return std::nullopt;
    if (is_parameter(want[i])) {
      if (have[i].empty()) return std::nullopt;
      values[parameter_name(want[i])] = decode_segment(have[i], parameter_name(want[i]));
    } else if (want[i] != have[i]) {
      return std::nullopt;
    }
  }
  if (have.size() != want.size()) return std::nullopt;
  return values;
}

std::string first_segment(const std::string& pattern) {
  const std::size_t end = pattern.find('/', 1);
  const std::string first = pattern.substr(0, end);
  return is_parameter(first.substr(1)) ? std::string("/") : first;
}

}  // namespace

std::multimap<std::string, std::string> parse_query(const std::string& query) {
  std::multimap<std::string, std::string> values;
  std::size_t start = 0;
  while (start < query.size()) {
    std::size_t end = query.find('&', start);
    if (end == std::string::npos) end = query.size();
    std::string pair = query.substr(start, end - start);
    start = end + 1;
    if (pair.empty()) continue;
    std::replace(pair.begin(), pair.end(), '+', ' ');
    const std::size_t eq = pair.find('=');
    const auto name = percent_decode(pair.substr(0, eq));
    if (!name) throw std::invalid_argument("query parameter name: bad percent-encoding");
    const auto value =
        percent_decode(eq == std::string::npos ? std::string() : pair.substr(eq + 1));
    if (!value) throw std::invalid_argument("query parameter " + *name + ": bad percent-encoding");
    values.emplace(*name, *value);
  }
  return values;
}

ApiRouter::ApiRouter(AccessCheck& access) : access_(access) {}

void ApiRouter::add(ApiRoute route) {
  if (route.pattern.empty() || route.pattern.front() != '/') {
    throw std::logic_error("route pattern '" + route.pattern + "' must start with '/'");
  }
  const auto segments = split_path(route.pattern);
  for (std::size_t i = 0; i + 1 < segments.size(); ++i) {
    if (is_rest_parameter(segments[i])) {
      throw std::logic_error("route pattern '" + route.pattern + "': {name...} must come last");
    }
  }
  for (const auto& existing : routes_) {
    if (existing.method == route.method && existing.pattern == route.pattern) {
      throw std::logic_error("route added twice: " + route.method + " " + route.pattern);
    }
  }
  patterns_.push_back(segments);
  routes_.push_back(std::move(route));
}

void ApiRouter::add(std::vector<ApiRoute> routes) {
  for (auto& route : routes) add(std::move(route));
}

RouteResponse ApiRouter::dispatch(const RouteRequest& request) const {
  try {
    // A literal segment beats a parameter: the most literal match wins.
    const ApiRoute* best = nullptr;
    std::map<std::string, std::string> best_values;
    std::size_t best_literals = 0;
    std::set<std::string> allowed;
    const auto path = split_path(request.path);
    for (std::size_t r = 0; r < routes_.size(); ++r) {
      const ApiRoute& route = routes_[r];
      auto values = match(patterns_[r], path);
      if (!values) continue;
      if (route.method != request.method) {
        allowed.insert(route.method);
        continue;
      }
      const std::size_t literals = patterns_[r].size() - values->size();
      if (!best || literals > best_literals) {
        best = &route;
        best_values = std::move(*values);
        best_literals = literals;
      }
    }
    if (!best) {
      if (allowed.empty()) return api_error(404, "not_found", "no such route: " + request.path);
      std::string allow;
      for (const auto& method : allowed) allow += (allow.empty() ? "" : ", ") + method;
      auto response = api_error(
          405, "method_not_allowed",
          request.method + " is not allowed on " + request.path + " (allowed: " + allow + ")");
      response.headers["Allow"] = allow;
      return response;
    }
    ApiRequest api{request, std::move(best_values), parse_query(request.query), {}};
    if (best->scope != ApiScope::kPublic) {
      if (auto refusal = access_.admit(request, best->scope, api.caller)) return *refusal;
    }
    return best->handler(api);
  } catch (const std::invalid_argument& e) {
    return api_error(400, "bad_parameter", e.what());
  } catch (const std::exception& e) {
    spdlog::error("api: {} {}: {}", request.method, request.path, e.what());
    return api_error(500, "internal", "internal error; the server log has the details");
  }
}

void ApiRouter::mount(ServiceHttpServer& server) const {
  std::set<std::pair<std::string, std::string>> mounted;
  std::set<std::string> prefixes;
  for (const auto& route : routes_) prefixes.insert(first_segment(route.pattern));
  for (const auto& prefix : prefixes) {
    for (const char* method : {"GET", "POST", "PUT", "DELETE", "PATCH"}) {
      if (!mounted.insert({method, prefix}).second) continue;
      server.add_route(method, prefix, [this](const RouteRequest& r) { return dispatch(r); });
    }
  }
}

}  // namespace jirasync
