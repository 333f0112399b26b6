#pragma once

// Drives the real desktop (DesktopApp: embedded server, main window) for the screenshot
// tool and the start-up benchmark: the same composition root as `meddispatch`, with an
// in-memory credential store instead of the system keychain.

#include "desktopapp.h"

#include <QString>
#include <functional>

namespace md::tools {

/// Waits (processing events) until condition() or the timeout; false on timeout.
bool waitFor(const std::function<bool()> &condition, int timeoutMs);

/// Signs the app's session in by password (the sign-in page's fallback), waits for the
/// workspace. False on failure (message on stderr).
bool signInWithPassword(desktop::DesktopApp &app, const QString &identifier,
                        const QString &password, int timeoutMs = 30000);

} // namespace md::tools
