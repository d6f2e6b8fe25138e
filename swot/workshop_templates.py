"""Workshop templates: the quadrant prompts a new workshop starts with.

"Collaboration readiness" draws its prompts from council collaboration
practice: the LocalGovCamp18 session on collaboration between councils
(Birmingham, 6 October 2018; summarised in the project's shared data as
``localgovcamp18_swot.json``). Prompts are hints shown in each quadrant to
start people thinking, never items on the board.
"""

from __future__ import annotations

READINESS_PROMPTS: dict[str, list[str]] = {
    "strengths": [
        "Subject matter expertise",
        "Commitment to deliver",
        "Existing partnerships",
        "Data volume",
        "Core services",
        "Shared services agenda – towards provision",
        "Staff empowerment – empower talented people",
    ],
    "weaknesses": [
        "Resistance – what does this mean for me and my job?",
        "Culture",
        "Contracts (terms)",
        "Commitments and arrangements",
        "Openness and sharing (will to share)",
        "Private sector costs/trust",
        "Public sector culture (e.g. perceived competition/rivalry between councils)",
    ],
    "opportunities": [
        "Leadership",
        "Cost savings",
        "Citizen satisfaction",
        "Innovation",
        "Talent management",
        "Efficient services",
        "Connectivity and better turn-key solutions",
        "Funding crisis – creativity and partnerships",
    ],
    "threats": [
        "Central Government legislation",
        "Political change (politics and temporary/changing agendas)",
        "Legacy services/systems",
        "Speed of change",
        "Societal trends and habits",
        "Superficial solutions for PR/political purposes",
        "Keeping pace with technology",
    ],
}


def prompts_for(template: str) -> dict[str, list[str]]:
    """A copy of the template's prompts per quadrant (none for a blank SWOT)."""
    if template == "readiness":
        return {quadrant: list(prompts) for quadrant, prompts in READINESS_PROMPTS.items()}
    return {}
