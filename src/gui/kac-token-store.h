/* kac-token-store.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The clerk's bearer token for kac-central, kept in the Secret Service (libsecret) under the
 * schema "lv.vpvkac.Desk.Token" with the attributes "server" and "username". It is never
 * written to a file or a log by KAC Desk; inside the Flatpak, libsecret keeps it through the
 * secret portal. All calls are asynchronous so that a slow or locked keyring never blocks the
 * window.
 */
#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

G_BEGIN_DECLS

const SecretSchema *kac_token_store_get_schema     (void);

/* Finishes with the token, or NULL and no error when none is stored for @server_uri and
 * @username. */
void      kac_token_store_lookup_async  (const char           *server_uri,
                                         const char           *username,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
char     *kac_token_store_lookup_finish (GAsyncResult         *result,
                                         GError              **error);

/* Replaces the stored token of @server_uri and @username with @token. */
void      kac_token_store_save_async    (const char           *server_uri,
                                         const char           *username,
                                         const char           *token,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
gboolean  kac_token_store_save_finish   (GAsyncResult         *result,
                                         GError              **error);

/* Forgets the token of @server_uri and @username (signing out). Not finding one is no
 * error. */
void      kac_token_store_clear_async   (const char           *server_uri,
                                         const char           *username,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
gboolean  kac_token_store_clear_finish  (GAsyncResult         *result,
                                         GError              **error);

G_END_DECLS
