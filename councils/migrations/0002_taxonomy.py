"""Seed the service-area and skills taxonomies that profiles, initiatives and
partner matching share. Slugs are ``slugify(name)`` so they are stable and
predictable; reversing removes exactly the rows this migration added (by slug),
unless something still points at them (PROTECT), in which case it refuses."""

from django.db import migrations
from django.utils.text import slugify

SERVICE_AREAS = [
    ("Waste and recycling", "Bin collections, recycling, street cleansing and fly-tipping."),
    ("Revenues and benefits", "Business rates, housing benefit and council tax support."),
    ("Council tax", "Billing, collection, discounts and exemptions."),
    ("Planning", "Development management, local plans and planning enforcement."),
    ("Building control", "Building regulations applications and inspections."),
    ("Housing", "Council housing, allocations, repairs and private sector housing."),
    ("Homelessness", "Prevention, relief, temporary accommodation and rough sleeping."),
    ("Adult social care", "Assessments, care packages, safeguarding and case management."),
    ("Children's services", "Children's social care, early help and safeguarding."),
    ("Education and SEND", "School admissions, transport and special educational needs."),
    ("Highways and transport", "Roads, street lighting, public transport and road safety."),
    ("Parking", "Permits, penalty charge notices and car parks."),
    ("Libraries", "Library services, catalogues and community hubs."),
    ("Leisure and culture", "Leisure centres, parks, museums, arts and events."),
    ("Customer contact", "Contact centres, telephony, complaints and case handling."),
    ("Digital front door", "Websites, online forms, accounts and self-service."),
    ("Data and analytics", "Data platforms, reporting, insight and open data."),
    ("Cyber security", "Security operations, assurance and incident response."),
    ("IT infrastructure", "Networks, devices, hosting and end-user computing."),
    ("Finance", "Financial systems, payments, procurement-to-pay and audit."),
    ("HR and payroll", "People systems, recruitment, payroll and learning."),
    ("Licensing", "Alcohol, taxi, gambling and other licences."),
    ("Environmental health", "Food safety, pollution, noise and pest control."),
    ("Elections and registration", "Electoral registration, elections and civil registration."),
    ("Public health", "Health improvement, protection and commissioning."),
    ("Democratic services", "Committees, councillors, decisions and transparency."),
    ("Trading standards", "Consumer protection, scams and product safety."),
    ("Emergency planning", "Resilience, business continuity and civil contingencies."),
]

SKILLS = [
    "User research",
    "Service design",
    "Content design",
    "Interaction design",
    "Agile delivery",
    "Product management",
    "Business analysis",
    "Software development",
    "Data engineering",
    "Data analysis",
    "Data science",
    "Cloud and hosting",
    "Cyber security",
    "Technical architecture",
    "Procurement",
    "Commercial and contract management",
    "Change management",
    "Accessibility",
    "Information governance",
    "Programme and project management",
    "Performance analysis",
    "Testing and quality assurance",
]


def seed(apps, schema_editor):
    ServiceArea = apps.get_model("councils", "ServiceArea")
    Skill = apps.get_model("councils", "Skill")
    for name, description in SERVICE_AREAS:
        ServiceArea.objects.update_or_create(
            slug=slugify(name), defaults={"name": name, "description": description}
        )
    for name in SKILLS:
        Skill.objects.update_or_create(slug=slugify(name), defaults={"name": name})


def unseed(apps, schema_editor):
    ServiceArea = apps.get_model("councils", "ServiceArea")
    Skill = apps.get_model("councils", "Skill")
    ServiceArea.objects.filter(slug__in=[slugify(name) for name, _ in SERVICE_AREAS]).delete()
    Skill.objects.filter(slug__in=[slugify(name) for name in SKILLS]).delete()


class Migration(migrations.Migration):
    dependencies = [("councils", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
