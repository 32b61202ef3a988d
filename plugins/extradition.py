"""Built-in action type ``extradition``: handing suspects to another state to face justice."""

from ._action import ActionPlugin

plugin = ActionPlugin(
    "extradition",
    "Extradition, or the formal surrender of suspects to another state to face charges, "
    "and requests for it.",
)
