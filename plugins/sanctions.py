"""Built-in action type ``sanctions``: economic and legal restrictions imposed by governments."""

from ._action import ActionPlugin

plugin = ActionPlugin(
    "sanctions",
    "Economic or legal restrictions: sanctions, asset freezes, embargoes, visa bans, "
    "blacklisting and terrorist designations.",
)
