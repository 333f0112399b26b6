#pragma once

#include <QSettings>
#include <QString>
#include <QUrl>
#include <memory>

namespace md::client {

/// The desktop's remembered choices (QSettings, an INI file). Tests point it at a
/// temporary file.
class AppSettings final
{
public:
    enum class Mode
    {
        NotChosen, // first run: ask
        Embedded,  // run the bundled server on this computer
        Remote     // connect to a server URL
    };

    /// The user's settings file (QSettings' default location for the application).
    AppSettings();
    explicit AppSettings(const QString &iniFile);

    Mode mode() const;
    void setMode(Mode mode);
    QUrl serverUrl() const; // Remote
    void setServerUrl(const QUrl &url);
    /// The last identifier used to sign in (pre-filled next time).
    QString lastIdentifier() const;
    void setLastIdentifier(const QString &identifier);
    /// Embedded: the first administrator has been created.
    bool embeddedInitialized() const;
    void setEmbeddedInitialized(bool done);
    QByteArray windowGeometry() const;
    void setWindowGeometry(const QByteArray &geometry);
    QSettings &raw() { return *m_settings; }

private:
    std::unique_ptr<QSettings> m_settings;
};

} // namespace md::client
