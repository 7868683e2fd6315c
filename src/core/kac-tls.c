/* kac-tls.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kac-tls"

#include "config.h"

#include "kac-tls.h"

#include <string.h>

#include <glib-object.h>

gboolean
kac_tls_require_tls12 (void)
{
  const char *current = g_getenv ("G_TLS_GNUTLS_PRIORITY");
  GType type = g_type_from_name ("GTlsConnectionGnutls");
  g_autofree char *priority = NULL;

  if (current != NULL && strstr (current, KAC_TLS_PRIORITY_NO_OLD_VERSIONS) != NULL)
    return TRUE;

  /* glib-networking reads the variable in its connection class's class_init: once that
   * ran, a change here would only pretend to work. */
  if (type != 0 && g_type_class_peek (type) != NULL)
    return FALSE;

  priority = g_strconcat (current != NULL && *current != '\0' ? current : "NORMAL",
                          KAC_TLS_PRIORITY_NO_OLD_VERSIONS, NULL);
  return g_setenv ("G_TLS_GNUTLS_PRIORITY", priority, TRUE);
}
