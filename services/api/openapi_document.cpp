#include "services/api/openapi_document.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <stdexcept>

#include "common/runtime/version.hpp"

namespace jirasync {
namespace {

// The head every fragment is merged into.
constexpr const char* kHead = R"({
  "openapi": "3.1.0",
  "info": {
    "title": "jirasync API",
    "summary": "A local cache of Jira Cloud issues over HTTP",
    "description": "Every route but this document needs an API key (jirasync apikey create NAME --scope read|admin): Authorization: Bearer KEY, or Basic with any user and the key as password. Times are epoch milliseconds (*_ms). Errors have one shape (ApiError).",
    "version": ""
  },
  "security": [{"bearer": []}, {"basic": []}],
  "paths": {},
  "components": {
    "securitySchemes": {
      "bearer": {"type": "http", "scheme": "bearer", "description": "an API key"},
      "basic": {"type": "http", "scheme": "basic", "description": "any user name, the API key as password"}
    },
    "schemas": {
      "ApiError": {
        "type": "object",
        "required": ["error"],
        "properties": {
          "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
              "code": {"type": "string", "enum": ["bad_parameter", "bad_body", "unauthenticated", "forbidden", "not_found", "method_not_allowed", "conflict", "too_many_requests", "payload_too_large", "unavailable", "internal"]},
              "message": {"type": "string"},
              "parameter": {"type": "string"}
            }
          }
        }
      }
    },
    "responses": {
      "ApiError": {
        "description": "An error: 400 bad parameter or body, 401 no valid key, 403 key of too small a scope, 404 unknown resource, 429 over the key's rate (Retry-After), 503 unavailable",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ApiError"}}}
      }
    }
  }
})";

void merge_members(rapidjson::Value& into, rapidjson::Value& from, const std::string& what,
                   const std::string& family, rapidjson::Document::AllocatorType& alloc,
                   bool merge_methods) {
  if (!from.IsObject())
    throw std::logic_error("openapi/" + family + ".json: " + what + " must be an object");
  for (auto& member : from.GetObject()) {
    const std::string name(member.name.GetString(), member.name.GetStringLength());
    auto existing = into.FindMember(member.name);
    if (existing == into.MemberEnd()) {
      into.AddMember(rapidjson::Value(member.name, alloc), rapidjson::Value(member.value, alloc),
                     alloc);
      continue;
    }
    if (!merge_methods || !existing->value.IsObject() || !member.value.IsObject()) {
      throw std::logic_error("openapi/" + family + ".json: " + what + " '" + name +
                             "' is defined by another fragment too");
    }
    // One path, methods from two families (e.g. GET and POST of one resource).
    for (auto& method : member.value.GetObject()) {
      if (existing->value.HasMember(method.name)) {
        throw std::logic_error("openapi/" + family +
                               ".json: " + std::string(method.name.GetString()) + " " + name +
                               " is documented by another fragment too");
      }
      existing->value.AddMember(rapidjson::Value(method.name, alloc),
                                rapidjson::Value(method.value, alloc), alloc);
    }
  }
}

}  // namespace

std::string openapi_document(const std::vector<OpenApiFragment>& fragments) {
  rapidjson::Document doc;
  doc.Parse(kHead);
  auto& alloc = doc.GetAllocator();
  doc["info"]["version"].SetString(kJirasyncVersion, alloc);
  for (const auto& fragment : fragments) {
    rapidjson::Document part;
    part.Parse(fragment.json.data(), fragment.json.size());
    if (part.HasParseError() || !part.IsObject()) {
      throw std::logic_error("openapi/" + fragment.family + ".json is not a JSON object");
    }
    if (auto paths = part.FindMember("paths"); paths != part.MemberEnd()) {
      merge_members(doc["paths"], paths->value, "path", fragment.family, alloc, true);
    }
    if (auto components = part.FindMember("components"); components != part.MemberEnd()) {
      if (!components->value.IsObject()) {
        throw std::logic_error("openapi/" + fragment.family +
                               ".json: components must be an object");
      }
      for (auto& section : components->value.GetObject()) {
        auto into = doc["components"].FindMember(section.name);
        if (into == doc["components"].MemberEnd()) {
          doc["components"].AddMember(rapidjson::Value(section.name, alloc),
                                      rapidjson::Value(rapidjson::kObjectType), alloc);
          into = doc["components"].FindMember(section.name);
        }
        merge_members(into->value, section.value,
                      "components." + std::string(section.name.GetString()), fragment.family, alloc,
                      false);
      }
    }
  }
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  doc.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::vector<ApiRoute> openapi_routes() {
  return {
      {"GET", "/api/v1/openapi.json", ApiScope::kPublic, "This document", [](const ApiRequest&) {
         static const std::string document = openapi_document(openapi_fragments());
         return RouteResponse::json(200, document);
       }}};
}

}  // namespace jirasync
