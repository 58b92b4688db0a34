#include "cli/apikey_command.hpp"

#include <cstdio>
#include <memory>

#include "common/clock/clock.hpp"
#include "common/time/jira_time.hpp"
#include "services/api/api_keys_sql.hpp"

namespace jirasync {
namespace {

std::string when(const std::optional<int64_t>& ms) {
  return ms ? format_jira_time(*ms) : std::string("-");
}

int create(CliContext& ctx, const std::string& name, const std::string& scope_text) {
  SystemClock clock;
  NewApiKey made;
  try {
    made = make_api_key(name, parse_api_key_scope(scope_text), clock.now_ms());
  } catch (const ApiKeyError& e) {
    std::fprintf(stderr, "jirasync apikey create: %s\n", e.what());
    return 2;
  }
  SqlApiKeyStore store(ctx.database());
  try {
    store.insert(made.record);
  } catch (const ApiKeyError& e) {
    std::fprintf(stderr, "jirasync apikey create: %s\n", e.what());
    return 1;
  }
  std::fprintf(stderr,
               "API key '%s' (%s scope) created. It is shown only now; store it safely "
               "(clients send 'Authorization: Bearer KEY'):\n",
               name.c_str(), scope_text.c_str());
  std::printf("%s\n", made.key.c_str());
  return 0;
}

int list(CliContext& ctx, OutputFormat format) {
  SqlApiKeyStore store(ctx.database());
  const auto keys = store.list();
  if (format == OutputFormat::kJson) {
    JsonOut j;
    j.begin_object().key("keys").begin_array();
    for (const auto& key : keys) {
      j.begin_object()
          .text("name", key.name)
          .text("scope", to_string(key.scope))
          .text("prefix", key.prefix)
          .number("created_ms", key.created_ms);
      j.key("revoked_ms");
      key.revoked_ms ? j.number(*key.revoked_ms) : j.null();
      j.key("last_used_ms");
      key.last_used_ms ? j.number(*key.last_used_ms) : j.null();
      j.end_object();
    }
    j.end_array().end_object();
    std::printf("%s\n", j.str().c_str());
    return 0;
  }
  if (keys.empty()) {
    std::printf("no API keys; make one with: jirasync apikey create NAME --scope read\n");
    return 0;
  }
  std::printf("%-24s %-6s %-13s %-29s %-29s %s\n", "NAME", "SCOPE", "PREFIX", "CREATED",
              "LAST USED", "REVOKED");
  for (const auto& key : keys) {
    std::printf("%-24s %-6s %-13s %-29s %-29s %s\n", key.name.c_str(), to_string(key.scope),
                key.prefix.c_str(), when(key.created_ms).c_str(), when(key.last_used_ms).c_str(),
                when(key.revoked_ms).c_str());
  }
  return 0;
}

int revoke(CliContext& ctx, const std::string& name) {
  SystemClock clock;
  SqlApiKeyStore store(ctx.database());
  if (!store.revoke(name, clock.now_ms())) {
    std::fprintf(stderr, "jirasync apikey revoke: no active API key named '%s'\n", name.c_str());
    return 1;
  }
  std::printf("API key '%s' revoked (servers stop taking it within a few seconds)\n", name.c_str());
  return 0;
}

}  // namespace

void add_apikey_commands(CLI::App& app, CliContext& ctx, CommandTable& commands) {
  struct Args {
    std::string name;
    std::string scope = "read";
    OutputFormat format = OutputFormat::kTable;
  };
  auto args = std::make_shared<Args>();
  auto* group = app.add_subcommand("apikey", "Manage API keys of the HTTP API (jirasync-api)");
  group->require_subcommand(1);

  auto* create_cmd =
      group->add_subcommand("create", "Make a key; it is printed once (only its hash is stored)");
  create_cmd->add_option("name", args->name, "a name for the key (who or what uses it)")
      ->required();
  create_cmd
      ->add_option("--scope", args->scope,
                   "read (GETs and searches) or admin (also "
                   "sync, refresh, conflicts and local edits)")
      ->check(CLI::IsMember({"read", "admin"}));
  commands.push_back({create_cmd, [&ctx, args] { return create(ctx, args->name, args->scope); }});

  auto* list_cmd = group->add_subcommand("list", "Keys by name: scope, prefix, created, last used");
  list_cmd
      ->add_option_function<std::string>(
          "--format",
          [args](const std::string& f) {
            args->format = f == "json" ? OutputFormat::kJson : OutputFormat::kTable;
          },
          "table|json")
      ->check(CLI::IsMember({"table", "json"}));
  commands.push_back({list_cmd, [&ctx, args] { return list(ctx, args->format); }});

  auto* revoke_cmd = group->add_subcommand("revoke", "Stop a key from working (it stays listed)");
  revoke_cmd->add_option("name", args->name, "the key's name")->required();
  commands.push_back({revoke_cmd, [&ctx, args] { return revoke(ctx, args->name); }});
}

}  // namespace jirasync
