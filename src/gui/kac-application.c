/* kac-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * KAC Desk as a GApplication: one instance per profile (a second start presents the first
 * window), the store opened once at startup, the application-wide actions, and the sync
 * engine with the clerk's sign-in: created when the settings name a central system, given the
 * token that the keyring remembers (read asynchronously, so the window never waits for it),
 * stopped at shutdown.
 */
#define G_LOG_DOMAIN "kac-application"

#include "config.h"

#include "kac-application.h"

#include <glib/gi18n.h>

#include "kac-notifier.h"
#include "kac-preferences-window.h"
#include "kac-token-store.h"
#include "kac-window.h"

struct _KacApplication
{
  AdwApplication  parent_instance;

  KacStore       *store;
  GError         *store_error;
  KacCatalog     *catalog;

  GSettings      *settings;
  KacSyncEngine  *sync_engine;
  GCancellable   *lookup_cancellable;
  KacNotifier    *notifier;
  gboolean        restoring_sign_in;
  /* > 0 while the desk itself takes the token away (sign-out, another server): the engine's
   * "auth-needed" is then expected and must not ask the clerk to sign in. */
  guint           quiet;
};

G_DEFINE_FINAL_TYPE (KacApplication, kac_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_SYNC_ENGINE,
  PROP_RESTORING_SIGN_IN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGN_IN_NEEDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Helpers */

static const char *
get_profile_dir_name (void)
{
  /* A developer's or trainer's registrations never mix with a clerk's. */
  return g_strcmp0 (PROFILE, "development") == 0 ? "kac-desk-devel" : "kac-desk";
}

static void
open_store (KacApplication *self)
{
  g_autofree char *path = kac_store_dup_default_path (get_profile_dir_name ());
  g_autoptr(GHashTable) usage = NULL;
  g_autoptr(GError) error = NULL;

  self->catalog = kac_catalog_new_sample ();
  self->store = kac_store_open (path, &self->store_error);
  if (self->store == NULL)
    {
      g_warning ("Cannot open the store: %s", self->store_error->message);
      return;
    }

  usage = kac_store_dup_service_usage (self->store, &error);
  if (usage != NULL)
    kac_catalog_set_usage (self->catalog, usage);
  else
    g_debug ("No service usage: %s", error->message);
}

static char *
dup_setting (KacApplication *self,
             const char     *key)
{
  char *value = g_settings_get_string (self->settings, key);

  return g_strstrip (value);
}

/* Tells the active window, as a toast. */
static void
show_message (KacApplication *self,
              const char     *message)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (KAC_IS_WINDOW (window))
    {
      AdwToast *toast = adw_toast_new (message);

      /* These say that something must be done again later: they stay until dismissed. */
      adw_toast_set_timeout (toast, 0);
      kac_window_show_toast (KAC_WINDOW (window), toast);
    }
  else
    g_message ("%s", message);
}

static void
set_restoring_sign_in (KacApplication *self,
                       gboolean        restoring)
{
  if (self->restoring_sign_in == restoring)
    return;

  self->restoring_sign_in = restoring;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESTORING_SIGN_IN]);
}

static void
cancel_lookup (KacApplication *self)
{
  g_cancellable_cancel (self->lookup_cancellable);
  g_clear_object (&self->lookup_cancellable);
  set_restoring_sign_in (self, FALSE);
}

static void
update_actions (KacApplication *self)
{
  GAction *action;
  gboolean has_engine = self->sync_engine != NULL;
  gboolean has_token = has_engine && kac_sync_engine_get_token (self->sync_engine) != NULL;
  gboolean refused = has_engine && kac_sync_engine_get_state (self->sync_engine) == KAC_SYNC_STATE_AUTH_NEEDED;

  action = g_action_map_lookup_action (G_ACTION_MAP (self), "sign-in");
  if (action != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (action), self->store != NULL && (!has_token || refused));
  action = g_action_map_lookup_action (G_ACTION_MAP (self), "sign-out");
  if (action != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (action), has_token);
  action = g_action_map_lookup_action (G_ACTION_MAP (self), "sync-now");
  if (action != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (action), has_engine);
}

static void
lookup_token_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(KacApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  token = kac_token_store_lookup_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->lookup_cancellable);

  if (error != NULL)
    /* Never the token; the message is libsecret's (no keyring, locked, …). */
    g_message ("The remembered sign-in could not be read from the keyring: %s", error->message);
  else if (token != NULL && self->sync_engine != NULL)
    kac_sync_engine_set_token (self->sync_engine, token);

  set_restoring_sign_in (self, FALSE);
}

/* Reads the token remembered for the configured server and user, without blocking. */
static void
restore_sign_in (KacApplication *self)
{
  g_autofree char *server = dup_setting (self, "server-url");
  g_autofree char *username = dup_setting (self, "username");

  cancel_lookup (self);
  if (self->sync_engine == NULL || *username == '\0')
    return;

  self->lookup_cancellable = g_cancellable_new ();
  set_restoring_sign_in (self, TRUE);
  kac_token_store_lookup_async (server, username, self->lookup_cancellable,
                                lookup_token_cb, g_object_ref (self));
}

static void
engine_auth_needed_cb (KacApplication *self,
                       KacSyncEngine  *engine)
{
  update_actions (self);
  if (self->quiet == 0)
    g_signal_emit (self, signals[SIGN_IN_NEEDED], 0);
}

static void
engine_changed_cb (KacApplication *self,
                   GParamSpec     *pspec,
                   KacSyncEngine  *engine)
{
  update_actions (self);
}

/* Makes the engine follow the settings: none without a server address, else one for the
 * store with the address and the CA file. With @restore, a change of server reads the token
 * remembered for it. */
static void
update_sync_engine (KacApplication *self,
                    gboolean        restore)
{
  g_autofree char *server = dup_setting (self, "server-url");
  g_autofree char *ca_file = dup_setting (self, "ca-file");
  gboolean created = FALSE;
  gboolean server_changed = FALSE;

  if (self->store == NULL || *server == '\0')
    {
      cancel_lookup (self);
      if (self->sync_engine != NULL)
        {
          kac_sync_engine_stop (self->sync_engine);
          g_signal_handlers_disconnect_by_data (self->sync_engine, self);
          if (self->notifier != NULL)
            kac_notifier_set_engine (self->notifier, NULL);
          g_clear_object (&self->sync_engine);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNC_ENGINE]);
        }
      update_actions (self);
      return;
    }

  if (self->sync_engine == NULL)
    {
      self->sync_engine = kac_sync_engine_new (self->store);
      g_signal_connect_object (self->sync_engine, "auth-needed",
                               G_CALLBACK (engine_auth_needed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->sync_engine, "notify::token",
                               G_CALLBACK (engine_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->sync_engine, "notify::state",
                               G_CALLBACK (engine_changed_cb), self, G_CONNECT_SWAPPED);
      if (self->notifier != NULL)
        kac_notifier_set_engine (self->notifier, self->sync_engine);
      created = TRUE;
    }

  self->quiet++;
  if (g_strcmp0 (kac_sync_engine_get_server_uri (self->sync_engine), server) != 0)
    {
      /* A token is good for the server that issued it only. */
      server_changed = TRUE;
      kac_sync_engine_set_token (self->sync_engine, NULL);
      kac_sync_engine_set_server_uri (self->sync_engine, server);
    }
  if (g_strcmp0 (kac_sync_engine_get_ca_file (self->sync_engine), *ca_file != '\0' ? ca_file : NULL) != 0)
    kac_sync_engine_set_ca_file (self->sync_engine, *ca_file != '\0' ? ca_file : NULL);
  self->quiet--;

  if (created)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNC_ENGINE]);
  update_actions (self);

  if (server_changed && restore)
    restore_sign_in (self);
}

static void
settings_changed_cb (KacApplication *self,
                     const char     *key,
                     GSettings      *settings)
{
  if (g_strcmp0 (key, "server-url") == 0 || g_strcmp0 (key, "ca-file") == 0)
    update_sync_engine (self, TRUE);
}

static void
save_token_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(KacApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!kac_token_store_save_finish (result, &error))
    {
      g_autofree char *message = NULL;

      g_message ("The sign-in could not be kept in the keyring: %s", error->message);
      /* Translators: %s is the keyring's explanation. */
      message = g_strdup_printf (_("Signed in, but the keyring could not remember it (%s). After KAC Desk is restarted you will have to sign in again."),
                                 error->message);
      show_message (self, message);
    }
}

static void
clear_token_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(KacApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!kac_token_store_clear_finish (result, &error))
    {
      g_autofree char *message = NULL;

      g_message ("The sign-in could not be removed from the keyring: %s", error->message);
      /* Translators: %s is the keyring's explanation. */
      message = g_strdup_printf (_("Signed out, but the keyring could not forget the sign-in (%s). Remove “KAC Desk” from the keyring with the Passwords and Keys application."),
                                 error->message);
      show_message (self, message);
    }
}

/* Actions */

static void
quit_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  GList *windows = gtk_application_get_windows (app);

  /* Close rather than quit at once, so that each window saves its size. */
  for (GList *l = g_list_copy (windows), *next; l != NULL; l = next)
    {
      next = l->next;
      gtk_window_close (GTK_WINDOW (l->data));
      g_list_free_1 (l);
    }
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  KacPreferencesWindow *window;

  window = kac_preferences_window_new (gtk_application_get_active_window (app));
  gtk_window_present (GTK_WINDOW (window));
}

static void
about_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (app),
                        "application-name", _("KAC Desk"),
                        "application-icon", APPLICATION_ID,
                        "version", PACKAGE_VERSION,
                        "comments", _("Registers the work of a unified state and municipal client service centre, also without a network connection."),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        /* Translators: your name(s), one per line. */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
sync_now_action (GSimpleAction *action,
                 GVariant      *param,
                 gpointer       user_data)
{
  KacApplication *self = KAC_APPLICATION (user_data);

  if (self->sync_engine != NULL)
    kac_sync_engine_sync_now (self->sync_engine);
}

static void
sign_in_action (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  KacApplication *self = KAC_APPLICATION (user_data);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (KAC_IS_WINDOW (window))
    kac_window_show_sign_in (KAC_WINDOW (window));
}

static void
sign_out_action (GSimpleAction *action,
                 GVariant      *param,
                 gpointer       user_data)
{
  KacApplication *self = KAC_APPLICATION (user_data);

  kac_application_sign_out (self);
  show_message (self, _("Signed out. Registrations are still saved here and wait until someone signs in."));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "preferences", preferences_action },
  { "about", about_action },
  { "sync-now", sync_now_action },
  { "sign-in", sign_in_action },
  { "sign-out", sign_out_action },
};

/* Activating a desktop notification opens its item in the window. */
static void
show_item_action (GSimpleAction *action,
                  GVariant      *param,
                  gpointer       user_data)
{
  KacApplication *self = KAC_APPLICATION (user_data);
  GtkWindow *window;

  g_application_activate (G_APPLICATION (self));
  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (!KAC_IS_WINDOW (window))
    return;

  if (g_strcmp0 (g_action_get_name (G_ACTION (action)), "show-notice") == 0)
    kac_window_show_notice (KAC_WINDOW (window), g_variant_get_string (param, NULL));
  else
    kac_window_show_material (KAC_WINDOW (window), g_variant_get_string (param, NULL));
}

static const GActionEntry item_actions[] = {
  { "show-notice", show_item_action, "s" },
  { "show-material", show_item_action, "s" },
};

/* GApplication overrides */

static void
kac_application_startup (GApplication *application)
{
  KacApplication *self = KAC_APPLICATION (application);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  static const char *sync_now_accels[] = { "<Control>r", NULL };

  G_APPLICATION_CLASS (kac_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.sync-now",
                                         sync_now_accels);

  open_store (self);

  self->settings = g_settings_new (SETTINGS_SCHEMA_ID);
  g_signal_connect_object (self->settings, "changed",
                           G_CALLBACK (settings_changed_cb), self, G_CONNECT_SWAPPED);
  g_action_map_add_action_entries (G_ACTION_MAP (self), item_actions,
                                   G_N_ELEMENTS (item_actions), self);
  self->notifier = kac_notifier_new (G_ACTION_GROUP (self), self->settings);
  update_sync_engine (self, FALSE);
  restore_sign_in (self);
}

static void
kac_application_activate (GApplication *application)
{
  KacApplication *self = KAC_APPLICATION (application);
  GtkWindow *window;

  /* A second start of KAC Desk lands here in the first process. */
  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window == NULL)
    window = GTK_WINDOW (kac_window_new (GTK_APPLICATION (self), self->store,
                                         self->store_error, self->catalog));

  gtk_window_present (window);
}

static void
kac_application_shutdown (GApplication *application)
{
  KacApplication *self = KAC_APPLICATION (application);

  /* Whatever is on its way goes back to the queue; nothing is lost. */
  cancel_lookup (self);
  if (self->sync_engine != NULL)
    {
      kac_sync_engine_stop (self->sync_engine);
      g_signal_handlers_disconnect_by_data (self->sync_engine, self);
    }

  G_APPLICATION_CLASS (kac_application_parent_class)->shutdown (application);

  g_clear_object (&self->sync_engine);
  g_clear_object (&self->store);
}

/* GObject overrides */

static void
kac_application_finalize (GObject *object)
{
  KacApplication *self = KAC_APPLICATION (object);

  g_clear_object (&self->lookup_cancellable);
  g_clear_object (&self->notifier);
  g_clear_object (&self->sync_engine);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);
  g_clear_object (&self->catalog);
  g_clear_error (&self->store_error);

  G_OBJECT_CLASS (kac_application_parent_class)->finalize (object);
}

static void
kac_application_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  KacApplication *self = KAC_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_SYNC_ENGINE:
      g_value_set_object (value, self->sync_engine);
      break;
    case PROP_RESTORING_SIGN_IN:
      g_value_set_boolean (value, self->restoring_sign_in);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kac_application_class_init (KacApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = kac_application_finalize;
  object_class->get_property = kac_application_get_property;
  app_class->startup = kac_application_startup;
  app_class->activate = kac_application_activate;
  app_class->shutdown = kac_application_shutdown;

  properties[PROP_SYNC_ENGINE] =
    g_param_spec_object ("sync-engine", NULL, NULL,
                         KAC_TYPE_SYNC_ENGINE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RESTORING_SIGN_IN] =
    g_param_spec_boolean ("restoring-sign-in", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGN_IN_NEEDED] =
    g_signal_new ("sign-in-needed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
kac_application_init (KacApplication *self)
{
}

/* Public API */

KacApplication *
kac_application_new (void)
{
  /* One resource base path for both profiles: the .Devel id would otherwise look for the
   * style sheet and the shortcuts window under /lv/vpvkac/Desk/Devel/. */
  return g_object_new (KAC_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/lv/vpvkac/Desk",
                       NULL);
}

KacStore *
kac_application_get_store (KacApplication *self)
{
  g_return_val_if_fail (KAC_IS_APPLICATION (self), NULL);

  return self->store;
}

const GError *
kac_application_get_store_error (KacApplication *self)
{
  g_return_val_if_fail (KAC_IS_APPLICATION (self), NULL);

  return self->store_error;
}

KacCatalog *
kac_application_get_catalog (KacApplication *self)
{
  g_return_val_if_fail (KAC_IS_APPLICATION (self), NULL);

  return self->catalog;
}

KacSyncEngine *
kac_application_get_sync_engine (KacApplication *self)
{
  g_return_val_if_fail (KAC_IS_APPLICATION (self), NULL);

  return self->sync_engine;
}

gboolean
kac_application_get_restoring_sign_in (KacApplication *self)
{
  g_return_val_if_fail (KAC_IS_APPLICATION (self), FALSE);

  return self->restoring_sign_in;
}

gboolean
kac_application_is_signed_in (KacApplication *self)
{
  g_return_val_if_fail (KAC_IS_APPLICATION (self), FALSE);

  return self->sync_engine != NULL && kac_sync_engine_get_token (self->sync_engine) != NULL;
}

void
kac_application_apply_session (KacApplication *self,
                               const char     *server_uri,
                               KacWireSession *session)
{
  g_return_if_fail (KAC_IS_APPLICATION (self));
  g_return_if_fail (server_uri != NULL && *server_uri != '\0');
  g_return_if_fail (session != NULL && session->token != NULL && session->username != NULL);

  g_settings_set_string (self->settings, "server-url", server_uri);
  g_settings_set_string (self->settings, "username", session->username);
  /* The central system knows which centre the clerk works for; registrations must name it
   * or it refuses them. The user name is what it knows the clerk by. */
  if (session->centre_id != NULL)
    {
      KacCentreKind kind;

      g_settings_set_string (self->settings, "centre-id", session->centre_id);
      if (session->centre_name != NULL)
        g_settings_set_string (self->settings, "centre-name", session->centre_name);
      if (session->centre_kind != NULL && kac_centre_kind_from_string (session->centre_kind, &kind))
        g_settings_set_string (self->settings, "centre-kind", session->centre_kind);
      g_settings_set_string (self->settings, "clerk-name", session->username);
    }

  /* Not the remembered token of the old settings: the new one. */
  update_sync_engine (self, FALSE);
  cancel_lookup (self);
  if (self->sync_engine == NULL)
    return;

  /* The engine sends what waits at once. */
  kac_sync_engine_set_token (self->sync_engine, session->token);
  update_actions (self);

  kac_token_store_save_async (server_uri, session->username, session->token, NULL,
                              save_token_cb, g_object_ref (self));
}

void
kac_application_sign_out (KacApplication *self)
{
  g_autofree char *server = NULL;
  g_autofree char *username = NULL;

  g_return_if_fail (KAC_IS_APPLICATION (self));

  cancel_lookup (self);
  if (self->sync_engine == NULL)
    return;

  self->quiet++;
  kac_sync_engine_set_token (self->sync_engine, NULL);
  self->quiet--;
  update_actions (self);

  server = dup_setting (self, "server-url");
  username = dup_setting (self, "username");
  if (*username != '\0')
    kac_token_store_clear_async (server, username, NULL, clear_token_cb, g_object_ref (self));
}
