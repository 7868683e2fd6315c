/* kac-preferences-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The terminal's settings: which centre it serves, who the clerk is, and how new registrations
 * start. Every row is bound to GSettings, so there is nothing to apply or forget to save.
 */
#define G_LOG_DOMAIN "kac-preferences-window"

#include "config.h"

#include "kac-preferences-window.h"

#include <glib/gi18n.h>

#include "kac-types.h"

struct _KacPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* Template widgets */
  AdwComboRow          *centre_kind_row;
  AdwEntryRow          *centre_id_row;
  AdwEntryRow          *centre_name_row;
  AdwEntryRow          *clerk_name_row;
  AdwComboRow          *default_channel_row;

  GSettings            *settings;
};

G_DEFINE_FINAL_TYPE (KacPreferencesWindow, kac_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* Settings mappings: the schema stores enum nicks; the combo rows list enum values in order. */

static gboolean
centre_kind_get_mapping (GValue   *value,
                         GVariant *variant,
                         gpointer  user_data)
{
  KacCentreKind kind;

  if (!kac_centre_kind_from_string (g_variant_get_string (variant, NULL), &kind))
    return FALSE;
  g_value_set_uint (value, kind);

  return TRUE;
}

static GVariant *
centre_kind_set_mapping (const GValue       *value,
                         const GVariantType *expected_type,
                         gpointer            user_data)
{
  const char *nick = kac_centre_kind_to_string ((KacCentreKind) g_value_get_uint (value));

  return nick != NULL ? g_variant_new_string (nick) : NULL;
}

static gboolean
channel_get_mapping (GValue   *value,
                     GVariant *variant,
                     gpointer  user_data)
{
  KacChannel channel;

  if (!kac_channel_from_string (g_variant_get_string (variant, NULL), &channel))
    return FALSE;
  g_value_set_uint (value, channel);

  return TRUE;
}

static GVariant *
channel_set_mapping (const GValue       *value,
                     const GVariantType *expected_type,
                     gpointer            user_data)
{
  const char *nick = kac_channel_to_string ((KacChannel) g_value_get_uint (value));

  return nick != NULL ? g_variant_new_string (nick) : NULL;
}

/* GObject overrides */

static void
kac_preferences_window_dispose (GObject *object)
{
  KacPreferencesWindow *self = KAC_PREFERENCES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), KAC_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (kac_preferences_window_parent_class)->dispose (object);
}

static void
kac_preferences_window_class_init (KacPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kac_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/lv/vpvkac/Desk/kac-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, KacPreferencesWindow, centre_id_row);
  gtk_widget_class_bind_template_child (widget_class, KacPreferencesWindow, centre_kind_row);
  gtk_widget_class_bind_template_child (widget_class, KacPreferencesWindow, centre_name_row);
  gtk_widget_class_bind_template_child (widget_class, KacPreferencesWindow, clerk_name_row);
  gtk_widget_class_bind_template_child (widget_class, KacPreferencesWindow, default_channel_row);
}

static void
kac_preferences_window_init (KacPreferencesWindow *self)
{
  g_autoptr(GtkStringList) kinds = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) channels = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  for (int i = KAC_CENTRE_KIND_COUNTY; i <= KAC_CENTRE_KIND_NATIONAL; i++)
    gtk_string_list_append (kinds, kac_centre_kind_get_label ((KacCentreKind) i));
  adw_combo_row_set_model (self->centre_kind_row, G_LIST_MODEL (kinds));
  for (int i = 0; i < KAC_CHANNEL_N_VALUES; i++)
    gtk_string_list_append (channels, kac_channel_get_label ((KacChannel) i));
  adw_combo_row_set_model (self->default_channel_row, G_LIST_MODEL (channels));

  self->settings = g_settings_new (SETTINGS_SCHEMA_ID);
  g_settings_bind (self->settings, "centre-id", self->centre_id_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "centre-name", self->centre_name_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "clerk-name", self->clerk_name_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (self->settings, "centre-kind",
                                self->centre_kind_row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                centre_kind_get_mapping, centre_kind_set_mapping,
                                NULL, NULL);
  g_settings_bind_with_mapping (self->settings, "default-channel",
                                self->default_channel_row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                channel_get_mapping, channel_set_mapping,
                                NULL, NULL);
}

/* Public API */

KacPreferencesWindow *
kac_preferences_window_new (GtkWindow *parent)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  return g_object_new (KAC_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       NULL);
}
