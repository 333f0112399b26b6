#include "appsettings.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace md::client {

namespace {

const QString kModeKey = u"connection/mode"_s;
const QString kServerUrlKey = u"connection/server_url"_s;
const QString kLastIdentifierKey = u"sign_in/last_identifier"_s;
const QString kEmbeddedInitializedKey = u"embedded/initialized"_s;
const QString kWindowGeometryKey = u"window/geometry"_s;

QString orDefault(const QString &value, const QString &fallback)
{
    return value.isEmpty() ? fallback : value;
}

} // namespace

AppSettings::AppSettings()
    : m_settings(std::make_unique<QSettings>(
          QSettings::IniFormat, QSettings::UserScope,
          orDefault(QCoreApplication::organizationName(), u"MedDispatch"_s),
          orDefault(QCoreApplication::applicationName(), u"meddispatch"_s)))
{}

AppSettings::AppSettings(const QString &iniFile)
    : m_settings(std::make_unique<QSettings>(iniFile, QSettings::IniFormat))
{}

AppSettings::Mode AppSettings::mode() const
{
    const QString mode = m_settings->value(kModeKey).toString();
    if (mode == u"embedded")
        return Mode::Embedded;
    if (mode == u"remote")
        return Mode::Remote;
    return Mode::NotChosen;
}

void AppSettings::setMode(Mode mode)
{
    switch (mode) {
    case Mode::NotChosen:
        m_settings->remove(kModeKey);
        break;
    case Mode::Embedded:
        m_settings->setValue(kModeKey, u"embedded"_s);
        break;
    case Mode::Remote:
        m_settings->setValue(kModeKey, u"remote"_s);
        break;
    }
    m_settings->sync();
}

QUrl AppSettings::serverUrl() const
{
    return QUrl(m_settings->value(kServerUrlKey).toString());
}

void AppSettings::setServerUrl(const QUrl &url)
{
    m_settings->setValue(kServerUrlKey, url.toString());
    m_settings->sync();
}

QString AppSettings::lastIdentifier() const
{
    return m_settings->value(kLastIdentifierKey).toString();
}

void AppSettings::setLastIdentifier(const QString &identifier)
{
    m_settings->setValue(kLastIdentifierKey, identifier);
    m_settings->sync();
}

bool AppSettings::embeddedInitialized() const
{
    return m_settings->value(kEmbeddedInitializedKey, false).toBool();
}

void AppSettings::setEmbeddedInitialized(bool done)
{
    m_settings->setValue(kEmbeddedInitializedKey, done);
    m_settings->sync();
}

QByteArray AppSettings::windowGeometry() const
{
    return m_settings->value(kWindowGeometryKey).toByteArray();
}

void AppSettings::setWindowGeometry(const QByteArray &geometry)
{
    m_settings->setValue(kWindowGeometryKey, geometry);
    m_settings->sync();
}

} // namespace md::client
