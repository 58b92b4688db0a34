#pragma once

#include <string>

namespace jirasync {

// Masks credentials recognisable by their shape, whether or not anyone
// registered them: `Authorization: <value>` (header, JSON or key=value form),
// `Basic <token>` / `Bearer <token>`, `password=`/`token=`/`secret=`... values,
// JSON `"password": "<value>"`, and the password of `scheme://user:password@host`.
// Over-masking harmless prose is the accepted price of never leaking.
void mask_credential_patterns(std::string& text);

}  // namespace jirasync
