#include "tests/jirasim/jql/compiled_query.hpp"

#include <optional>

#include "tests/jirasim/jql/account_zone.hpp"
#include "tests/jirasim/jql/order_by.hpp"
#include "tests/jirasim/jql/parser.hpp"
#include "tests/jirasim/jql/structure_json.hpp"

namespace jirasim::jql {

CompiledQuery::CompiledQuery(QuerySyntax syntax, CompiledWhere where, std::vector<OrderKey> order)
    : syntax_(std::move(syntax)), where_(std::move(where)), order_(std::move(order)) {}

const Binding& CompiledQuery::binding_for(const EvalContext& ctx) const {
  const ContextBinding* last = last_.load(std::memory_order_acquire);
  if (last != nullptr && last->fits(ctx)) return last->binding;

  std::lock_guard lock(mutex_);
  for (const auto& b : bindings_) {
    if (b->fits(ctx)) {
      last_.store(b.get(), std::memory_order_release);
      return b->binding;
    }
  }
  auto fresh = std::make_unique<ContextBinding>();
  fresh->now_ms = ctx.now_ms;
  fresh->zone = ctx.account_time_zone;
  fresh->account_id = ctx.current_account_id;
  fresh->binding.slots.resize(where_.slot_count);
  std::optional<AccountZone> zone;
  if (where_.needs_zone) zone.emplace(ctx.account_time_zone);
  where_.root->bind(ctx, zone ? &*zone : nullptr, fresh->binding);  // may throw JqlError
  bindings_.push_back(std::move(fresh));
  last_.store(bindings_.back().get(), std::memory_order_release);
  return bindings_.back()->binding;
}

bool CompiledQuery::matches(const SimIssue& issue, const EvalContext& ctx) const {
  if (!where_.root) return true;
  if (where_.slot_count == 0) return where_.root->test(issue, no_binding_, ctx);
  return where_.root->test(issue, binding_for(ctx), ctx);
}

std::string CompiledQuery::structure_json() const {
  return jql::structure_json(syntax_);
}

std::unique_ptr<Query> parse(const std::string& jql, const CustomFieldNames& custom_fields) {
  QuerySyntax syntax = parse_syntax(jql);
  CompiledWhere where;
  if (syntax.where) where = compile_where(*syntax.where, custom_fields);
  auto order = compile_order_by(syntax.order_by, custom_fields);
  return std::make_unique<CompiledQuery>(std::move(syntax), std::move(where), std::move(order));
}

}  // namespace jirasim::jql
