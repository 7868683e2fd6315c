/* kac-token-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Thin GTask wrappers around libsecret's password API, so that the rest of the desk sees one
 * place where the token is kept and one schema.
 */
#define G_LOG_DOMAIN "kac-token-store"

#include "config.h"

#include "kac-token-store.h"

#include <glib/gi18n.h>

#define ATTRIBUTE_SERVER   "server"
#define ATTRIBUTE_USERNAME "username"

const SecretSchema *
kac_token_store_get_schema (void)
{
  static const SecretSchema schema = {
    "lv.vpvkac.Desk.Token", SECRET_SCHEMA_NONE,
    {
      { ATTRIBUTE_SERVER, SECRET_SCHEMA_ATTRIBUTE_STRING },
      { ATTRIBUTE_USERNAME, SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "NULL", 0 },
    }
  };

  return &schema;
}

/* Lookup */

static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *secret;

  secret = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (secret == NULL)
    g_task_return_pointer (task, NULL, NULL);
  else
    {
      g_task_return_pointer (task, g_strdup (secret), g_free);
      /* libsecret's copy is wiped; the engine keeps its own for as long as it is signed in. */
      secret_password_free (secret);
    }
}

void
kac_token_store_lookup_async (const char          *server_uri,
                              const char          *username,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (server_uri != NULL);
  g_return_if_fail (username != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, kac_token_store_lookup_async);

  secret_password_lookup (kac_token_store_get_schema (), cancellable,
                          lookup_cb, g_steal_pointer (&task),
                          ATTRIBUTE_SERVER, server_uri,
                          ATTRIBUTE_USERNAME, username,
                          NULL);
}

char *
kac_token_store_lookup_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kac_token_store_lookup_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Save */

static void
boolean_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (g_task_get_source_tag (task) == kac_token_store_save_async)
    ok = secret_password_store_finish (result, &error);
  else
    {
      secret_password_clear_finish (result, &error);
      ok = error == NULL;
    }

  if (!ok)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
kac_token_store_save_async (const char          *server_uri,
                            const char          *username,
                            const char          *token,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *label = NULL;

  g_return_if_fail (server_uri != NULL);
  g_return_if_fail (username != NULL);
  g_return_if_fail (token != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, kac_token_store_save_async);

  /* Translators: the name of the keyring item. %1$s is a user name, %2$s the address of the
   * central system. */
  label = g_strdup_printf (_("KAC Desk sign-in of %1$s at %2$s"), username, server_uri);
  secret_password_store (kac_token_store_get_schema (), SECRET_COLLECTION_DEFAULT, label, token,
                         cancellable, boolean_cb, g_steal_pointer (&task),
                         ATTRIBUTE_SERVER, server_uri,
                         ATTRIBUTE_USERNAME, username,
                         NULL);
}

gboolean
kac_token_store_save_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kac_token_store_save_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Clear */

void
kac_token_store_clear_async (const char          *server_uri,
                             const char          *username,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (server_uri != NULL);
  g_return_if_fail (username != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, kac_token_store_clear_async);

  secret_password_clear (kac_token_store_get_schema (), cancellable,
                         boolean_cb, g_steal_pointer (&task),
                         ATTRIBUTE_SERVER, server_uri,
                         ATTRIBUTE_USERNAME, username,
                         NULL);
}

gboolean
kac_token_store_clear_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kac_token_store_clear_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
