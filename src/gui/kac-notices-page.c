/* kac-notices-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The staff notices of the centre (MK 401 §19.1–19.4) and "today at this centre": for each
 * institution of the basket, whether its specialist serves now, until when, who substitutes
 * and what changed today, computed by kac-presence from the stored notices and the current
 * minute (kac-clock). Everything comes from the store, so the page works offline.
 */
#define G_LOG_DOMAIN "kac-notices-page"

#include "config.h"

#include "kac-notices-page.h"

#include <glib/gi18n.h>

#include "kac-clock.h"
#include "kac-presence.h"
#include "kac-store-materials.h"

struct _KacNoticesPage
{
  GtkWidget    parent_instance;

  /* Template widgets */
  GtkListBox  *notice_list;
  GtkScrolledWindow *scroller;
  GtkListBox  *today_list;

  KacStore    *store;
  GHashTable  *today_rows;   /* institution → AdwActionRow (borrowed from the list) */
  guint        tick_id;
};

G_DEFINE_FINAL_TYPE (KacNoticesPage, kac_notices_page, GTK_TYPE_WIDGET)

static const struct
{
  const char *code;
  const char *name;
} basket[] = {
  /* Proper names: Latvian in both languages of the desk. */
  { "LAD", "Lauku atbalsta dienests" },
  { "NVA", "Nodarbinātības valsts aģentūra" },
  { "PMLP", "Pilsonības un migrācijas lietu pārvalde" },
  { "UR", "Uzņēmumu reģistrs" },
  { "VID", "Valsts ieņēmumu dienests" },
  { "VSAA", "Valsts sociālās apdrošināšanas aģentūra" },
  { "VZD", "Valsts zemes dienests" },
};

/* Helpers */

static char *
format_time (GDateTime *time)
{
  g_autoptr(GDateTime) now = kac_clock_dup_now ();
  g_autoptr(GDateTime) local = NULL;

  if (time == NULL)
    return NULL;

  local = g_date_time_to_timezone (time, g_date_time_get_timezone (now));
  if (g_date_time_get_year (local) == g_date_time_get_year (now)
      && g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (now))
    /* Translators: a time today in strftime format. */
    return g_date_time_format (local, _("%H:%M"));
  /* Translators: a date and time in strftime format, e.g. "12.05.2026 14:00". */
  return g_date_time_format (local, _("%d.%m.%Y %H:%M"));
}

static char *
describe_person (const char *name,
                 const char *position)
{
  if (name != NULL && position != NULL)
    /* Translators: %1$s is a person's name, %2$s their position. */
    return g_strdup_printf (_("%1$s, %2$s"), name, position);
  return g_strdup (name != NULL ? name : position);
}

static char *
describe_presence (KacPresence *presence)
{
  g_autofree char *person = describe_person (presence->name, presence->position);
  g_autofree char *until = format_time (presence->until);
  g_autofree char *back = format_time (presence->back_at);
  g_autofree char *state = NULL;
  GString *text;

  if (presence->present && presence->substitute)
    state = until != NULL
      /* Translators: %1$s is a time, %2$s who substitutes ("Anna Liepa, senior officer"). */
      ? g_strdup_printf (_("Substitute at the desk until %1$s: %2$s"), until, person)
      /* Translators: %s is who substitutes ("Anna Liepa, senior officer"). */
      : g_strdup_printf (_("Substitute at the desk: %s"), person);
  else if (presence->present)
    state = until != NULL
      /* Translators: %1$s is a time, %2$s who serves ("Anna Liepa, senior officer"). */
      ? g_strdup_printf (_("Present until %1$s: %2$s"), until, person)
      /* Translators: %s is who serves ("Anna Liepa, senior officer"). */
      : g_strdup_printf (_("Present: %s"), person);
  else if (presence->absent)
    state = back != NULL
      /* Translators: %s is a time. */
      ? g_strdup_printf (_("Absent, no substitute; back at %s. Register its applications here."), back)
      : g_strdup (_("Absent, no substitute. Register its applications here."));
  else if (!presence->has_specialist)
    state = g_strdup (_("No specialist at this centre: register its applications here."));
  else
    state = back != NULL
      /* Translators: %s is a time. */
      ? g_strdup_printf (_("Not at the centre now; from %s today."), back)
      : g_strdup (_("Not at the centre now."));

  text = g_string_new (state);
  if (presence->changes_today != NULL && presence->changes_today->len > 0)
    {
      g_string_append_c (text, '\n');
      g_string_append_printf (text,
                              /* Translators: %d is a count of notices, followed by their kinds. */
                              ngettext ("%d change today:", "%d changes today:",
                                        presence->changes_today->len),
                              (int) presence->changes_today->len);
      for (guint i = 0; i < presence->changes_today->len; i++)
        {
          KacWireNotice *notice = presence->changes_today->pdata[i];

          g_string_append (text, i == 0 ? " " : ", ");
          g_string_append (text, kac_notice_kind_get_label (notice->kind));
        }
    }

  return g_string_free (text, FALSE);
}

static const char *
presence_class (KacPresence *presence)
{
  if (presence->present && presence->substitute)
    return "substitute";
  if (presence->present)
    return "present";
  if (presence->absent)
    return "absent";
  return "away";
}

static const char *
presence_icon (KacPresence *presence)
{
  if (presence->present)
    return "emblem-ok-symbolic";
  if (presence->absent)
    return "dialog-warning-symbolic";
  return "action-unavailable-symbolic";
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  /* Rows only: the placeholder is a child of the list too. */
  while ((child = GTK_WIDGET (gtk_list_box_get_row_at_index (list, 0))) != NULL)
    gtk_list_box_remove (list, child);
}


/* Reception hours name their weekdays in the program's language, not the system locale's
 * (which is often C on a terminal that runs in Latvian). @day is 1 = Monday … 7 = Sunday. */
static const char *
get_weekday_abbreviation (guint day)
{
  switch (day)
    {
    case 1: return C_("weekday, short", "Mon");
    case 2: return C_("weekday, short", "Tue");
    case 3: return C_("weekday, short", "Wed");
    case 4: return C_("weekday, short", "Thu");
    case 5: return C_("weekday, short", "Fri");
    case 6: return C_("weekday, short", "Sat");
    case 7: return C_("weekday, short", "Sun");
    default: return "?";
    }
}

static GtkWidget *
make_notice_row (KacWireNotice *notice)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *title = NULL;
  g_autofree char *from = format_time (notice->starts_at);
  g_autofree char *until = format_time (notice->ends_at);
  g_autofree char *person = describe_person (notice->name, notice->position);
  GString *subtitle = g_string_new (NULL);

  /* Translators: %1$s is an institution ("VSAA"), %2$s the kind of notice ("Substitution"). */
  title = g_strdup_printf (_("%1$s · %2$s"), notice->institution, kac_notice_kind_get_label (notice->kind));
  if (person != NULL)
    {
      g_string_append (subtitle, person);
      g_string_append (subtitle, "\n");
    }
  if (until != NULL)
    /* Translators: a period, %1$s and %2$s are dates and times. */
    g_string_append_printf (subtitle, _("%1$s – %2$s"), from, until);
  else
    /* Translators: %s is a date and time. */
    g_string_append_printf (subtitle, _("From %s"), from);
  for (guint i = 0; i < notice->hours->len; i++)
    {
      KacWireHours *hours = &g_array_index (notice->hours, KacWireHours, i);
      g_autofree char *start = kac_wire_format_minute (hours->from_minute);
      g_autofree char *end = kac_wire_format_minute (hours->to_minute);

      g_string_append (subtitle, i == 0 ? "\n" : "; ");
      g_string_append_printf (subtitle, "%s %s–%s", get_weekday_abbreviation (hours->day),
                              start, end);
    }
  if (notice->note != NULL && *notice->note != '\0')
    {
      g_string_append_c (subtitle, '\n');
      g_string_append (subtitle, notice->note);
    }

  /* Names and notes are plain text. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  g_string_free (subtitle, TRUE);
  g_object_set_data_full (G_OBJECT (row), "kac-notice-id", g_strdup (notice->id), g_free);
  if (notice->kind == KAC_NOTICE_KIND_ABSENCE || notice->kind == KAC_NOTICE_KIND_SUBSTITUTION)
    gtk_widget_add_css_class (row, "urgent-notice");
  return row;
}

static gboolean
tick_cb (gpointer user_data)
{
  KacNoticesPage *self = KAC_NOTICES_PAGE (user_data);

  kac_notices_page_refresh (self);
  return G_SOURCE_CONTINUE;
}

/* GObject overrides */

static void
kac_notices_page_dispose (GObject *object)
{
  KacNoticesPage *self = KAC_NOTICES_PAGE (object);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), KAC_TYPE_NOTICES_PAGE);
  g_clear_pointer (&self->today_rows, g_hash_table_unref);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (kac_notices_page_parent_class)->dispose (object);
}

static void
kac_notices_page_class_init (KacNoticesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kac_notices_page_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/lv/vpvkac/Desk/kac-notices-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KacNoticesPage, notice_list);
  gtk_widget_class_bind_template_child (widget_class, KacNoticesPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, KacNoticesPage, today_list);
}

static void
kac_notices_page_init (KacNoticesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->today_rows = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < G_N_ELEMENTS (basket); i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *icon = gtk_image_new ();
      g_autofree char *title = g_strdup_printf ("%s · %s", basket[i].code, basket[i].name);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, "", -1);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      g_object_set_data (G_OBJECT (row), "kac-icon", icon);
      gtk_list_box_append (self->today_list, row);
      g_hash_table_insert (self->today_rows, (gpointer) basket[i].code, row);
    }

  /* The page's clock: ends with the page. */
  self->tick_id = g_timeout_add_seconds (60, tick_cb, self);
  kac_notices_page_refresh (self);
}

/* Public API */

const char * const *
kac_basket_institutions (void)
{
  static const char *codes[G_N_ELEMENTS (basket) + 1];

  if (codes[0] == NULL)
    for (guint i = 0; i < G_N_ELEMENTS (basket); i++)
      codes[i] = basket[i].code;
  return codes;
}

const char *
kac_basket_institution_name (const char *code)
{
  for (guint i = 0; i < G_N_ELEMENTS (basket); i++)
    if (g_strcmp0 (basket[i].code, code) == 0)
      return basket[i].name;
  return code;
}

void
kac_notices_page_set_store (KacNoticesPage *self,
                            KacStore       *store)
{
  g_return_if_fail (KAC_IS_NOTICES_PAGE (self));
  g_return_if_fail (store == NULL || KAC_IS_STORE (store));

  g_set_object (&self->store, store);
  kac_notices_page_refresh (self);
}

void
kac_notices_page_refresh (KacNoticesPage *self)
{
  g_autoptr(GPtrArray) notices = NULL;
  g_autoptr(GPtrArray) presences = NULL;
  g_autoptr(GDateTime) now = kac_clock_dup_now ();
  g_autoptr(GError) error = NULL;
  GtkListBoxRow *selected;
  g_autofree char *selected_id = NULL;

  g_return_if_fail (KAC_IS_NOTICES_PAGE (self));

  if (self->store != NULL)
    notices = kac_store_list_notices (self->store, &error);
  if (notices == NULL)
    {
      if (error != NULL)
        g_message ("Notices cannot be read: %s", error->message);
      notices = g_ptr_array_new ();
    }

  presences = kac_presence_compute_all (notices, kac_basket_institutions (), now);
  for (guint i = 0; i < presences->len; i++)
    {
      KacPresence *presence = presences->pdata[i];
      GtkWidget *row = g_hash_table_lookup (self->today_rows, presence->institution);
      GtkImage *icon = g_object_get_data (G_OBJECT (row), "kac-icon");
      g_autofree char *text = describe_presence (presence);
      const char *states[] = { "present", "substitute", "absent", "away" };

      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), text);
      for (guint j = 0; j < G_N_ELEMENTS (states); j++)
        gtk_widget_remove_css_class (row, states[j]);
      gtk_widget_add_css_class (row, presence_class (presence));
      gtk_image_set_from_icon_name (icon, presence_icon (presence));
    }

  selected = gtk_list_box_get_selected_row (self->notice_list);
  if (selected != NULL)
    selected_id = g_strdup (g_object_get_data (G_OBJECT (selected), "kac-notice-id"));
  clear_list (self->notice_list);
  /* The store lists them by start; the newest is what the clerk looks for. */
  for (guint i = notices->len; i > 0; i--)
    {
      GtkWidget *row = make_notice_row (notices->pdata[i - 1]);

      gtk_list_box_append (self->notice_list, row);
      if (selected_id != NULL && g_strcmp0 (selected_id, g_object_get_data (G_OBJECT (row), "kac-notice-id")) == 0)
        gtk_list_box_select_row (self->notice_list, GTK_LIST_BOX_ROW (row));
    }
}

gboolean
kac_notices_page_show_notice (KacNoticesPage *self,
                              const char     *id)
{
  g_return_val_if_fail (KAC_IS_NOTICES_PAGE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  kac_notices_page_refresh (self);
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->notice_list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (g_strcmp0 (g_object_get_data (G_OBJECT (child), "kac-notice-id"), id) == 0)
      {
        gtk_list_box_select_row (self->notice_list, GTK_LIST_BOX_ROW (child));
        gtk_widget_grab_focus (child);
        return TRUE;
      }
  return FALSE;
}

GtkWidget *
_kac_notices_page_get_today_row (KacNoticesPage *self,
                                 const char     *institution)
{
  g_return_val_if_fail (KAC_IS_NOTICES_PAGE (self), NULL);

  return g_hash_table_lookup (self->today_rows, institution);
}

GtkListBox *
_kac_notices_page_get_notice_list (KacNoticesPage *self)
{
  g_return_val_if_fail (KAC_IS_NOTICES_PAGE (self), NULL);

  return self->notice_list;
}
