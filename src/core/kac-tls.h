/* kac-tls.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * TLS 1.2 as the least version, for kac-central's SoupServer and the desk's SoupSession.
 *
 * On Debian 12 (GnuTLS 3.7.9, glib-networking 2.74) GIO's TLS connections use GnuTLS's
 * "NORMAL" priority, which still negotiates TLS 1.0 and 1.1 (measured: `openssl s_client
 * -tls1` and `-tls1_1` completed a handshake with `kac-central serve`). glib-networking has no
 * per-connection setting for versions; its one knob is the environment variable
 * G_TLS_GNUTLS_PRIORITY, read once per process when its first TLS connection is made. So
 * this sets it, early in main(), for the whole process.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What kac_tls_require_tls12() appends to the priority string. */
#define KAC_TLS_PRIORITY_NO_OLD_VERSIONS ":-VERS-SSL3.0:-VERS-TLS1.0:-VERS-TLS1.1"

/* Makes every TLS connection this process will make or accept refuse versions before 1.2:
 * appends KAC_TLS_PRIORITY_NO_OLD_VERSIONS to G_TLS_GNUTLS_PRIORITY (an operator's own
 * string is kept, with the old versions taken out of it), "NORMAL" when unset. Call it
 * before any thread is started and before the first TLS connection; returns FALSE (and
 * changes nothing) when a GnuTLS connection was made already, since the priority is then
 * fixed for the life of the process. */
gboolean kac_tls_require_tls12 (void);

G_END_DECLS
