#pragma once

namespace md::client {
class ApiClient;
class Session;
class EventStream;
class ConnectionMonitor;
class AppSettings;
} // namespace md::client

namespace md::ui {

/// What every view needs from the composition root (app/desktop/desktopapp.cpp). The
/// objects outlive every view. Views never block: they call api->get(..., this, ...)
/// and show their loading, empty and error states through StateWidget.
struct ViewContext
{
    client::ApiClient *api = nullptr;
    client::Session *session = nullptr;
    client::EventStream *events = nullptr;           // may be null (tests)
    client::ConnectionMonitor *connection = nullptr; // may be null (tests)
};

} // namespace md::ui
