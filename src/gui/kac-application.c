/* kac-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * KAC Desk as a GApplication: one instance per profile (a second start presents the first
 * window), the store opened once at startup, the application-wide actions.
 */
#define G_LOG_DOMAIN "kac-application"

#include "config.h"

#include "kac-application.h"

#include <glib/gi18n.h>

#include "kac-preferences-window.h"
#include "kac-window.h"

struct _KacApplication
{
  AdwApplication  parent_instance;

  KacStore       *store;
  GError         *store_error;
  KacCatalog     *catalog;
};

G_DEFINE_FINAL_TYPE (KacApplication, kac_application, ADW_TYPE_APPLICATION)

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

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "preferences", preferences_action },
  { "about", about_action },
};

/* GApplication overrides */

static void
kac_application_startup (GApplication *application)
{
  KacApplication *self = KAC_APPLICATION (application);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };

  G_APPLICATION_CLASS (kac_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         preferences_accels);

  open_store (self);
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

  G_APPLICATION_CLASS (kac_application_parent_class)->shutdown (application);

  g_clear_object (&self->store);
}

/* GObject overrides */

static void
kac_application_finalize (GObject *object)
{
  KacApplication *self = KAC_APPLICATION (object);

  g_clear_object (&self->store);
  g_clear_object (&self->catalog);
  g_clear_error (&self->store_error);

  G_OBJECT_CLASS (kac_application_parent_class)->finalize (object);
}

static void
kac_application_class_init (KacApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = kac_application_finalize;
  app_class->startup = kac_application_startup;
  app_class->activate = kac_application_activate;
  app_class->shutdown = kac_application_shutdown;
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
