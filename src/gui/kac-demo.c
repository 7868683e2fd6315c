/* kac-demo.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The in-process kac-central of demo mode. Plain HTTP on 127.0.0.1 is an honest simplification:
 * the connection never leaves the computer, and the server refuses plain HTTP on any other
 * address. Everything the desk does with it goes through the real protocol and the real sync
 * engine, so what a trainer shows is what a clerk gets.
 */
#define G_LOG_DOMAIN "kac-demo"

#include "config.h"

#include "kac-demo.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "kac-central-auth.h"
#include "kac-central-server.h"
#include "kac-demo-data.h"

struct _KacDemo
{
  GObject           parent_instance;

  char             *dir;
  char             *db_path;
  KacCatalog       *catalog;
  KacCentralStore  *store;
  KacCentralServer *server;
  /* Kept across outages, so the desk's server address stays right. */
  guint             port;
  char             *uri;
  gboolean          outage;
};

G_DEFINE_FINAL_TYPE (KacDemo, kac_demo, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_OUTAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Helpers */

static gboolean
start_listening (KacDemo  *self,
                 GError  **error)
{
  g_autoptr(KacCentralServer) server = NULL;
  GUri *uri;

  g_assert (self->server == NULL);

  server = kac_central_server_new (self->store, NULL, error);
  if (server == NULL
      || !kac_central_server_listen (server, NULL, "127.0.0.1", self->port, error))
    return FALSE;

  uri = kac_central_server_get_uri (server);
  if (self->port == 0)
    {
      self->port = (guint) g_uri_get_port (uri);
      g_free (self->uri);
      self->uri = g_strdup_printf ("http://127.0.0.1:%u/", self->port);
    }
  self->server = g_steal_pointer (&server);

  return TRUE;
}

static void
stop_listening (KacDemo *self)
{
  if (self->server == NULL)
    return;

  /* Closes the listener and every open connection: requests on their way fail at once, as
   * when the cable is pulled. */
  kac_central_server_disconnect (self->server);
  g_clear_object (&self->server);
}

static gboolean
open_store (KacDemo  *self,
            GError  **error)
{
  g_autoptr(KacCentralStore) store = NULL;
  gint64 n_users;

  if (g_mkdir_with_parents (self->dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   /* Translators: %s is a folder, then the system's explanation. */
                   _("The demo folder “%s” cannot be created: %s"), self->dir, g_strerror (saved_errno));
      return FALSE;
    }

  store = kac_central_store_open (self->db_path, error);
  if (store == NULL)
    return FALSE;

  n_users = kac_central_store_count_users (store, error);
  if (n_users < 0)
    return FALSE;
  if (n_users == 0)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      if (!kac_demo_data_seed_central (store, self->catalog, now, error))
        return FALSE;
    }
  else
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      /* A demo started again on another day: the institutions send today's notices (new
       * versions, which the desk pulls and announces like real ones). */
      if (kac_demo_data_update_notices (store, now, error) < 0)
        return FALSE;
    }

  self->store = g_steal_pointer (&store);

  return TRUE;
}

/* GObject overrides */

static void
kac_demo_dispose (GObject *object)
{
  KacDemo *self = KAC_DEMO (object);

  kac_demo_stop (self);

  G_OBJECT_CLASS (kac_demo_parent_class)->dispose (object);
}

static void
kac_demo_finalize (GObject *object)
{
  KacDemo *self = KAC_DEMO (object);

  g_clear_object (&self->catalog);
  g_free (self->dir);
  g_free (self->db_path);
  g_free (self->uri);

  G_OBJECT_CLASS (kac_demo_parent_class)->finalize (object);
}

static void
kac_demo_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  KacDemo *self = KAC_DEMO (object);

  switch (prop_id)
    {
    case PROP_OUTAGE:
      g_value_set_boolean (value, self->outage);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kac_demo_class_init (KacDemoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kac_demo_dispose;
  object_class->finalize = kac_demo_finalize;
  object_class->get_property = kac_demo_get_property;

  properties[PROP_OUTAGE] =
    g_param_spec_boolean ("outage", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kac_demo_init (KacDemo *self)
{
}

/* Public API */

KacDemo *
kac_demo_new (const char *dir,
              KacCatalog *catalog)
{
  KacDemo *self;

  g_return_val_if_fail (dir != NULL && *dir != '\0', NULL);
  g_return_val_if_fail (KAC_IS_CATALOG (catalog), NULL);

  self = g_object_new (KAC_TYPE_DEMO, NULL);
  self->dir = g_strdup (dir);
  self->db_path = g_build_filename (dir, "central.db", NULL);
  self->catalog = g_object_ref (catalog);

  return self;
}

const char *
kac_demo_get_dir (KacDemo *self)
{
  g_return_val_if_fail (KAC_IS_DEMO (self), NULL);

  return self->dir;
}

gboolean
kac_demo_start (KacDemo  *self,
                GError  **error)
{
  g_return_val_if_fail (KAC_IS_DEMO (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->store == NULL && !open_store (self, error))
    return FALSE;
  if (self->server == NULL && !self->outage)
    return start_listening (self, error);

  return TRUE;
}

void
kac_demo_stop (KacDemo *self)
{
  g_return_if_fail (KAC_IS_DEMO (self));

  stop_listening (self);
  g_clear_object (&self->store);
}

const char *
kac_demo_get_uri (KacDemo *self)
{
  g_return_val_if_fail (KAC_IS_DEMO (self), NULL);

  return self->uri;
}

KacCentralStore *
kac_demo_get_central_store (KacDemo *self)
{
  g_return_val_if_fail (KAC_IS_DEMO (self), NULL);

  return self->store;
}

char *
kac_demo_issue_token (KacDemo     *self,
                      const char  *username,
                      GError     **error)
{
  g_autoptr(KacCentralUser) user = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) expires = g_date_time_add (now, KAC_CENTRAL_DEFAULT_TOKEN_LIFETIME);
  g_autofree char *token = NULL;
  guint8 hash[KAC_CENTRAL_TOKEN_HASH_SIZE];

  g_return_val_if_fail (KAC_IS_DEMO (self), NULL);
  g_return_val_if_fail (self->store != NULL, NULL);

  user = kac_central_store_lookup_user (self->store, username, error);
  if (user == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, KAC_CENTRAL_STORE_ERROR, KAC_CENTRAL_STORE_ERROR_NOT_FOUND,
                     _("The demo has no user “%s”. Reset the demo data."), username);
      return NULL;
    }

  if (!kac_central_auth_init (error))
    return NULL;
  token = kac_central_new_token ();
  kac_central_hash_token (token, hash);
  if (!kac_central_store_add_token (self->store, hash, user->id, expires, error))
    return NULL;

  return g_steal_pointer (&token);
}

gboolean
kac_demo_get_outage (KacDemo *self)
{
  g_return_val_if_fail (KAC_IS_DEMO (self), FALSE);

  return self->outage;
}

gboolean
kac_demo_set_outage (KacDemo   *self,
                     gboolean   outage,
                     GError   **error)
{
  g_return_val_if_fail (KAC_IS_DEMO (self), FALSE);

  outage = !!outage;
  if (self->outage == outage)
    return TRUE;

  if (outage)
    stop_listening (self);
  else if (self->store != NULL && !start_listening (self, error))
    return FALSE;

  self->outage = outage;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OUTAGE]);

  return TRUE;
}

gboolean
kac_demo_reset (KacDemo  *self,
                GError  **error)
{
  g_return_val_if_fail (KAC_IS_DEMO (self), FALSE);

  kac_demo_stop (self);
  if (!kac_demo_delete_database (self->db_path, error))
    return FALSE;

  if (self->outage)
    {
      self->outage = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OUTAGE]);
    }

  return kac_demo_start (self, error);
}

gboolean
kac_demo_delete_database (const char  *path,
                          GError     **error)
{
  static const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  g_return_val_if_fail (path != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      if (g_unlink (file) != 0 && errno != ENOENT)
        {
          int saved_errno = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       /* Translators: %s is a file, then the system's explanation. */
                       _("The demo file “%s” cannot be deleted: %s"), file, g_strerror (saved_errno));
          return FALSE;
        }
    }

  return TRUE;
}
