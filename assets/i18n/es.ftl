# saldo — todos los textos de la ventana, en español.
# Mantenga los ids de los mensajes idénticos a los de en.ftl; una prueba comprueba que ambos archivos tienen los mismos ids.

## La ventana

demo-banner = DEMO — proveedores simulados y un registro de demostración aparte: no se envía nada real
panel-counter = Mostrador
panel-balances = Saldos
panel-subaccounts = Subcuentas
panel-statement = Estado de cuenta
panel-history = Historial
panel-review = Por revisar
panel-settings = Configuración
key-enter = Enter
key-escape = Escape
review-count = { $count ->
    [one] { $count } operación requiere revisión
   *[other] { $count } operaciones requieren revisión
}
age-just-now = actualizado hace un momento
age-minutes = actualizado hace { $minutes } min
age-hours = actualizado hace { $hours } h

## Notificaciones

toast-low-balance = Saldo bajo en { $profile }: { $balance } (aviso por debajo de { $level })
toast-unknown = { $reference }: resultado desconocido — no la reenvíe. Aparece en Revisión.
toast-settled = { $reference } figura ahora como { $state }
toast-settled-many = { $count } operaciones ya tienen un resultado final: véalas en Historial
toast-moved = Hecho: { $what }
toast-subaccount-created = Nueva subcuenta creada en { $profile }
toast-subaccount-deleted = Subcuenta { $account } de { $profile } eliminada
toast-crash-report = saldo tuvo un fallo interno la última vez. Hay un informe en { $path }: envíelo a quien le da soporte de saldo. Cada operación se guardó antes de enviarse: revise «Por revisar».

## Países, estados, tipos, secretos

country-cuba = Cuba
country-india = India
country-france = Francia
country-mexico = México
country-iran = Irán
state-recorded = registrada
state-sending = enviándose
state-succeeded = realizada
state-failed = fallida
state-pending = pendiente
state-unknown = desconocida
state-failed-inferred = fallida (lo concluyó saldo)
state-failed-by-hand = fallida (resuelta a mano)
state-succeeded-inferred = realizada (lo concluyó saldo)
state-succeeded-by-hand = realizada (resuelta a mano)
kind-topup = recarga
kind-credit-add = crédito a subcuenta
kind-credit-remove = crédito recuperado de subcuenta
kind-transfer = transferencia a cuenta hija
secret-api-token = Token de API
secret-api-key = Clave de API
secret-access-token = Token de acceso
secret-refresh-token = Token de renovación
secret-username = Nombre de usuario
secret-password = Contraseña
secret-session-token = Token de sesión

## Errores de entrada

phone-error-empty = Escriba el número móvil del cliente.
phone-error-characters = Un número de teléfono solo lleva dígitos, espacios y, si acaso, un + al principio.
phone-error-wrong-country = Este número no es de { $country }: debe comenzar con +{ $code }.
phone-error-length = Los números móviles de { $country } tienen { $expected } dígitos; este tiene { $found }.
phone-error-not-mobile = { $number } no es un número móvil de { $country } (puede ser un teléfono fijo).
amount-error-empty = Escriba un monto.
amount-error-not-a-number = “{ $text }” no es un monto: use dígitos y un solo punto o coma decimal, p. ej. 20.00.
amount-error-separators = Use punto o coma como separador decimal, pero no ambos: “{ $text }”.
amount-error-negative = El monto no puede ser negativo.
amount-error-decimals = { $unit } admite como máximo { $places } decimales.
amount-error-too-large = El monto es demasiado grande.
amount-error-ambiguous = “{ $text }” es ambiguo: ¿quiso decir { $thousands } o { $decimal }? Escriba el que quiere decir.
amount-error-zero = El monto debe ser mayor que 0.

## Errores del motor, el registro, el llavero del sistema y los proveedores

error-server-down-nothing-sent = No se puede contactar con el servidor de la tienda — no se envió nada. Compruebe la red y el servidor y vuelva a enviarla. ({ $reason })
error-outcome-kept = { $reference } se envió y terminó como “{ $outcome }”. Ahora no se puede contactar con el servidor de la tienda: este mostrador guarda el resultado y lo escribe en cuanto el servidor vuelva. NO la vuelva a enviar.
error-not-recorded = No se envió nada: { $reason }
error-outcome-not-recorded = { $reference } se envió y terminó como “{ $outcome }”, pero saldo no pudo registrarlo: { $reason }. NO la vuelva a enviar; busque { $reference } en el sistema del proveedor.
error-possible-repeat = Esto repite { $reference }, registrada el { $time } ({ $state }). No se envió nada.
error-repeat-of-open = La misma operación, { $reference }, registrada el { $time }, sigue { $state }. Todavía puede completarse: no se envió nada, y no puede enviarse de nuevo hasta resolver { $reference } (ver Por revisar).
error-sales-blocked = Las ventas con { $profile } están en pausa: el último saldo consultado fue { $balance } y esta venta lo dejaría por debajo del mínimo de { $floor }. Cargue crédito con el proveedor y actualice el saldo, o baje el mínimo en Configuración.
error-provider-not-sent = No se pudo contactar con el proveedor ({ $reason }). No se envió nada; inténtelo de nuevo.
error-provider-maybe-sent = El proveedor no dio una respuesta clara ({ $reason }): el resultado es desconocido.
error-provider-rejected = El proveedor lo rechazó: { $message }
error-provider-auth = El proveedor rechazó las credenciales ({ $message }). Revise los secretos del perfil en Configuración.
error-provider-rate-limited = El proveedor está ocupado y pidió a saldo que vaya más despacio. Inténtelo de nuevo en un momento.
error-provider-rate-limited-in = El proveedor está ocupado y pidió a saldo que vaya más despacio. Inténtelo de nuevo en { $seconds } s.
error-provider-malformed = No se pudo leer la respuesta del proveedor ({ $reason }).
error-ledger-open = No se pudo abrir el registro { $path }: { $reason }. Compruebe que la carpeta existe y que se puede escribir en ella.
error-ledger-open-server = No se pudo abrir el registro en el servidor de la tienda { $address }: { $reason }
error-ledger-newer = El registro { $path } lo escribió una versión más reciente de saldo. Instale esa versión; el archivo no se modificó.
error-ledger-write = No se pudo escribir en el registro: { $reason }
error-ledger-read = No se pudo leer el registro: { $reason }
error-profile-exists = Ya existe un perfil llamado “{ $name }”.
error-profile-not-found = No existe ningún perfil llamado “{ $name }”.
error-operation-not-found = No existe ninguna operación con la referencia { $reference }.
error-keychain-unavailable = No hay ningún llavero del sistema disponible en este equipo. saldo guarda las claves de API solo en el llavero del sistema (GNOME Keyring, KWallet, macOS Keychain o Windows Credential Manager): inicie o instale uno y vuelva a intentarlo.
error-keychain-locked = El llavero del sistema está bloqueado: desbloquéelo (inicie sesión en su escritorio) y vuelva a intentarlo.
error-keychain-refused = El llavero del sistema lo rechazó: { $reason }
error-secret-missing = Falta guardar { $secret } para el perfil “{ $profile }”: hágalo en Configuración.
error-secret-empty = El secreto está vacío: no se guardó nada.
error-internal = saldo tuvo un error interno ({ $reason }). No se hizo nada más; vuelva a intentarlo.
error-export-write = No se pudo escribir el archivo: { $reason }

## Mostrador

counter-title = Recarga
counter-no-profile = Aún no hay ningún perfil que venda recargas. Agregue un perfil de QvaTel (Cuba) o RechargeKit (India) en Configuración.
counter-profile = Perfil
counter-number = Número del cliente
counter-number-hint = Número móvil de { $country }
counter-number-help = Escriba el número móvil del cliente.
counter-number-digits-only = Aquí solo se escriben dígitos (valen espacios, guiones y un + al principio).
counter-use-other-profile = Es un número móvil de { $country }: vender con { $profile }
counter-will-top-up = Se recargará { $number }
counter-amount = Monto
counter-amount-hint = p. ej. 49 ({ $unit })
counter-amount-key = Tecla { $key } (Alt+{ $key } mientras escribe el número)
counter-operator = Operador
counter-circle = Círculo
counter-choose-field = Elija el { $field }
counter-operators-live = Operadores: lista en vivo de RechargeKit ({ $age })
counter-operators-shipped = Operadores: tabla propia de saldo (la lista en vivo del proveedor no está en uso)
counter-operators-fetch-failed = No se pudo obtener la lista en vivo del proveedor: { $reason }
counter-choose-amount = Elija un monto.
counter-choose-operator = Elija el operador y el círculo.
counter-sales-paused = Ventas en pausa: el saldo { $balance } está en el mínimo de { $floor } o por debajo.
counter-review = Revisar
counter-review-tip = Enter
counter-check-with-customer = Confirme con el cliente:
counter-review-number = Número: { $number }
counter-review-amount = Monto: { $amount }
counter-through-profile = Con el perfil { $profile }
counter-send = Enviar recarga
counter-send-wait = Confirme el número y el monto con el cliente…
counter-send-hint = Pulse Enter o haga clic en Enviar cuando el cliente diga que sí. Escape vuelve atrás.
counter-back = Volver
counter-cancel = Cancelar
counter-sending = Enviando { $amount } a { $number }… no cierre saldo
counter-next-customer = Siguiente cliente
counter-retry = Reintentar
counter-retry-tip = Volver al mismo número y monto para intentarlo de nuevo
counter-send-again = Enviar de nuevo de todos modos
counter-send-again-tip = Solo si el cliente pidió una segunda recarga
counter-favourite = Agregar a favoritos
counter-unfavourite = Quitar de favoritos
counter-favourites = Favoritos
counter-no-favourites = Aún no hay números favoritos.
counter-recent = Números recientes
counter-no-recent = Aún no hay recargas.
counter-favourite-failed = No se pudo cambiar el favorito: { $reason }
counter-choices-unreadable = No se pudieron leer el operador y el círculo recordados para este número: { $reason }
counter-today = Hoy
counter-today-none = Aún no hay recargas hoy.
counter-today-line = { $count ->
    [one] 1 recarga · { $total }
   *[other] { $count } recargas · { $total }
}

## Resultados de las recargas

result-repeat = La misma recarga hace un momento — ¿enviarla de nuevo?
result-unknown = Resultado desconocido — no la reenvíe
result-not-sent = No enviada
result-what = { $amount } a { $number }
result-our-reference = Nuestra referencia: { $reference }
result-provider-reference = Referencia del proveedor: { $reference }
result-succeeded = Recarga realizada
result-failed = Recarga fallida
result-reason = Motivo: { $reason }
result-nothing-charged = No se realizó; no se cobró nada.
result-failure-concluded = saldo concluyó que no se realizó (el proveedor no lo dijo): revise los registros del proveedor antes de volver a enviarla.
result-pending = Aceptada, aún sin confirmar
result-pending-detail = { $provider } aceptó la recarga y todavía la está procesando.
result-do-not-resend-history = No la reenvíe. saldo sigue consultando y mostrará el resultado aquí y en Historial.
result-unknown-timeout = { $provider } no respondió en { $seconds } s. Puede que la recarga se haya realizado: no la reenvíe; saldo sigue comprobando.
result-unknown-unclear = La respuesta de { $provider } no dijo si la recarga se realizó. Puede que se haya realizado: no la reenvíe; saldo sigue comprobando.
result-unknown-unrecorded = Puede que la recarga se haya realizado, pero saldo no pudo anotarlo. No la reenvíe; saldo sigue comprobando.
result-unknown-technical = Detalle técnico: { $reason } (la operación figura como { $state }).
result-details = Detalles
result-copy = Copiar
result-copy-tip = Copiar la referencia
result-balance-now = Saldo ahora: { $balance }
result-balance-reading = Saldo ahora: leyéndose…
result-balance-unread = Saldo ahora: no se pudo leer (vea Saldos)
result-icon-succeeded = Realizada
result-icon-failed = Fallida
result-icon-pending = En proceso
result-icon-unknown = Resultado desconocido
result-icon-repeat = Confirme primero

## Rechazos que reconoce el mostrador

refusal-no-balance = La cuenta de la tienda en { $provider } no tiene saldo suficiente para esta recarga: compre crédito a { $provider } y envíela de nuevo.
refusal-credentials = { $provider } rechazó la clave de API de saldo: revísela en Configuración (y que este equipo pueda usarla) y envíela de nuevo.
refusal-number = El proveedor no recarga este número: compruébelo con el cliente.
refusal-operator = El operador o el círculo no corresponden a este número: elija el operador del cliente y envíela de nuevo.
refusal-amount = { $provider } no vende este monto para este número: elija otro monto.

## Avisos del mostrador

banner-keychain = No se puede leer el llavero ({ $reason }): no se pueden enviar ventas con este perfil hasta que se pueda.
banner-secret-missing = El perfil “{ $profile }” no tiene { $secret } guardado: agréguelo en Configuración antes de vender.
banner-address = La dirección de este perfil no se puede usar: { $reason }. Corríjala en Configuración.
banner-low-balance = El saldo { $balance } está por debajo del nivel de aviso de { $level }: compre crédito pronto.
banner-balance-unread = No se pudo leer el saldo: { $reason }

## Saldos

balances-title = Saldos
balances-refresh-all = Actualizar todos
balances-refresh = Actualizar
balances-refresh-tip = Consultar ahora al proveedor el saldo de { $profile }
balances-no-profiles = Aún no hay perfiles: agregue uno en Configuración.
balances-not-offered = La API de este proveedor no informa el saldo.
balances-never-read = Aún no consultado.
balances-unreadable = No se pudieron cargar los saldos leídos antes: { $reason }
balance-of-qvatel = Saldo de recargas (no el de SMS)
balance-of-smspartner = Crédito de la cuenta principal
balance-of-sabapayamak = Crédito de SMS
balance-of-rechargekit-recharge = Monedero de recargas (v2a)
balance-of-rechargekit-primary = Monedero principal (v2bapi)
balances-low = Por debajo del nivel de aviso de { $level }
balances-sales-paused = Ventas en pausa: por debajo del mínimo de { $floor }
balances-chip-low = Bajo
balances-chip-paused = Ventas en pausa

## Subcuentas

subaccounts-title = Subcuentas
subaccounts-profile = Perfil
subaccounts-no-profile = Ningún perfil tiene subcuentas ni cuentas hijas: agregue un perfil de SMS Partner o Marketext en Configuración.
subaccounts-search = Buscar
subaccounts-search-hint = id o correo electrónico
subaccounts-refresh = Actualizar
subaccounts-new = Nueva subcuenta
subaccounts-new-title = Nueva subcuenta
subaccounts-kind = Tipo
subaccounts-kind-simple = simple
subaccounts-kind-advanced = avanzada
subaccounts-email = Correo electrónico
subaccounts-first-name = Nombre
subaccounts-last-name = Apellidos
subaccounts-is-buyer = Compra su propio crédito
subaccounts-is-buyer-tip = isBuyer de SMS Partner: la subcuenta puede comprar crédito por sí misma; si no, solo recibe crédito de la cuenta principal
subaccounts-starting-credit = Crédito inicial ({ $unit })
subaccounts-starting-credit-tip = Se pasa desde la cuenta principal en cuanto existe la subcuenta, registrado como cualquier movimiento; déjelo vacío para ninguno
subaccounts-email-invalid = Escriba un correo electrónico válido.
subaccounts-create = Crear
subaccounts-delete = Eliminar subcuenta
subaccounts-delete-needs-empty = Solo se puede eliminar una subcuenta sin crédito: recupere primero su crédito
subaccounts-delete-confirm = ¿Eliminar la subcuenta { $account } ({ $email })? No se puede deshacer.
subaccounts-delete-yes = Eliminar
subaccounts-count = { $shown } de { $total } subcuentas
subaccounts-id = Id
subaccounts-balance = Saldo
subaccounts-pick-one = Elija una subcuenta de la lista para mover crédito.
subaccounts-move-title = Mover crédito: subcuenta { $account }
subaccounts-add = Agregar crédito
subaccounts-remove = Recuperar crédito
subaccounts-amount = Monto ({ $unit })
subaccounts-review = Revisar
subaccounts-confirm-add = ¿Agregar { $amount } a la subcuenta { $account }?
subaccounts-confirm-remove = ¿Recuperar { $amount } de la subcuenta { $account }?
subaccounts-before = Antes
subaccounts-after = Después
subaccounts-main-account = Cuenta principal
subaccounts-sub-account = Subcuenta { $account }
subaccounts-unknown-balance = aún no consultado
subaccounts-not-enough = La subcuenta no tiene tanto crédito.
subaccounts-confirm = Confirmar movimiento
subaccounts-sending = Moviendo crédito… no cierre saldo
subaccounts-moved = Crédito movido
move-given = { $amount } a { $account }
move-taken-back = { $amount } retirados de { $account }
move-transferred = { $amount } a la cuenta hija { $account }
subaccounts-taken-back = Crédito retirado
subaccounts-main-not-enough = La cuenta principal no tiene tanto crédito.
subaccounts-refused = El proveedor rechazó el movimiento
subaccounts-unknown = Resultado desconocido — no lo repita
subaccounts-not-moved = No se movió nada
subaccounts-send-again-tip = Solo si el mismo crédito debe moverse dos veces
subaccounts-balances-after = Ahora: cuenta principal { $main }, subcuenta { $sub }
subaccounts-see-review = saldo sigue comprobando; la operación aparece en Revisión hasta que se resuelva.
subaccounts-transfer-help = Marketext: mueva puntos de la cuenta principal a una cuenta hija indicando su id.
subaccounts-child = Id de la cuenta hija
subaccounts-confirm-transfer = ¿Transferir { $amount } a la cuenta hija { $child }?
subaccounts-transfer-warning = Después no se puede preguntar a Marketext si una transferencia llegó: revise el id dos veces.
subaccounts-confirm-transfer-button = Confirmar transferencia

## Estado de cuenta

statement-title = Estado de cuenta del crédito
statement-no-profile = Ningún perfil ofrece estado de cuenta del crédito: agregue un perfil de Saba Payamak en Configuración.
statement-profile = Perfil
statement-by-dates = Entre dos fechas
statement-last-n = Los últimos movimientos
statement-kind = Tipo
statement-kind-all = todos los tipos
statement-kind-send = envío
statement-kind-receive = recepción
statement-kind-purchase = compra
statement-kind-refund = reembolso
statement-from = Desde (jalalí)
statement-to = Hasta (jalalí)
statement-picker-tip = Haga clic para elegir el día en el calendario jalalí
statement-previous-month = Mes anterior
statement-next-month = Mes siguiente
statement-previous-year = Año anterior
statement-next-year = Año siguiente
statement-how-many = Cuántos
statement-range-reversed = El primer día es posterior al último.
statement-last-invalid = Escriba un número del 1 al 1000.
statement-show = Mostrar
statement-pick-and-show = Elija los días (o cuántos) y luego haga clic en Mostrar.
statement-empty = No hay movimientos.
statement-count = { $count ->
    [one] { $count } movimiento
   *[other] { $count } movimientos
}
statement-total = { $kind }: { $count } por un total de { $total }
statement-col-jalali = Día jalalí
statement-col-gregorian = Día gregoriano
statement-col-time = Hora
statement-col-kind = Tipo
statement-col-amount = Monto
statement-col-remaining = Restante
statement-col-description = Descripción

## Historial

history-title = Historial
history-refresh = Actualizar
history-today = Hoy
history-yesterday = Ayer
history-last-7-days = Últimos 7 días
history-this-month = Este mes
history-all-time = Todo
history-from = Desde
history-to = Hasta
history-date-hint = DD/MM/AAAA
history-bad-date = “{ $text }” no es una fecha: escríbala como DD/MM/AAAA (p. ej. 21/11/2026) o AAAA-MM-DD.
history-range-reversed = El primer día es posterior al último.
history-profile = Perfil
history-counter = Mostrador
history-state = Estado
history-any = cualquiera
history-number = Número
history-number-hint = número o subcuenta
history-counting = Contando…
history-count = { $count ->
    [one] { $count } operación
   *[other] { $count } operaciones
}
history-chart = Ventas por día
history-totals = Totales ({ $count })
history-more-filters = Más filtros{ $set ->
    [0] {""}
    [one] {" "}(1 activo)
   *[other] {" "}({ $set } activos)
}
history-chart-empty = No hay recargas realizadas en este período.
history-chart-title = Ventas diarias ({ $unit })
history-chart-sales = { $count } ventas
history-empty = Ninguna operación coincide.
history-col-time = Fecha y hora
history-col-reference = Referencia
history-col-operation = Operación
history-col-profile = Perfil
history-col-destination = Número o subcuenta
history-col-amount = Monto
history-col-state = Estado
history-col-provider-reference = Referencia del proveedor
history-col-message = Mensaje
history-export = Exportar…
history-export-for = Exportar para
history-export-options = Opciones del CSV
history-export-spreadsheet = una hoja de cálculo
history-export-spreadsheet-tip = Excel o LibreOffice: los números quedan como texto y nada se ejecuta como fórmula
history-export-import = otro programa
history-export-import-tip = Valores tal como están guardados, para importarlos en otro lugar (las notas de saldo, en inglés)
history-export-semicolon = Punto y coma
history-export-semicolon-tip = Para hojas de cálculo configuradas con coma decimal (español, francés…)
history-export-bom = Marca de orden de bytes (BOM)
history-export-bom-tip = Permite que Excel lea bien los acentos
history-export-progress = { $rows } de { $total } filas
history-export-cancel = Cancelar exportación
history-export-cancelled = Se canceló la exportación; no quedó ningún archivo.
history-export-no-file = No se eligió ningún archivo: no se exportó nada.
history-export-done = Se exportaron { $rows } operaciones a { $path }
history-export-done-no-dialog = No se pudo abrir el diálogo de guardar del sistema, así que saldo guardó las { $rows } operaciones en { $path }.
history-total-topup = Recargas con éxito: { $count }, { $total }
history-total-credit-add = Crédito dado a subcuentas: { $count }, { $total }
history-total-credit-remove = Crédito recuperado de subcuentas: { $count }, { $total }
history-total-transfer = Transferencias a cuentas hijas: { $count }, { $total }
history-details-title = Detalles: { $kind } a { $destination }
history-details-close = Cerrar
history-details-review = Por qué necesita a una persona
history-details-events = Qué pasó
history-event-change = { $from }, luego { $to }

## Revisión

review-title = Revisión
review-refresh = Actualizar
review-help = Operaciones cuyo resultado aún nadie conoce. Vuelva a consultar al proveedor, o resuélvalas después de confirmarlo con el proveedor o con el cliente.
review-nothing = Nada que revisar: todas las operaciones tienen un resultado conocido.
review-operation = Operación
review-profile = Perfil
review-destination = Número o subcuenta
review-amount = Monto
review-state = Estado
review-recorded-at = Registrada
review-updated-at = Último cambio
review-provider-reference = Referencia del proveedor
review-checks = Consultas hasta ahora
review-why = Motivo: { $reason }
review-evidence = Pruebas
review-recheck = Consultar de nuevo al proveedor
review-recheck-tip = Consulta ahora al proveedor sobre esta operación
review-note = Nota
review-note-hint = Cómo lo sabe, p. ej. “el cliente la recibió”
review-note-needed = Para resolverla a mano hace falta una nota.
review-settle-succeeded = Marcar como realizada
review-settle-failed = Marcar como fallida
review-raw-reply = Detalles (la respuesta del proveedor)
review-settle-confirm = Registrar { $reference } como { $state }: { $amount } a { $destination }, con la nota “{ $note }”. Esto es definitivo.
review-settle-confirm-button = Registrarlo
review-now = { $reference } figura ahora como { $state }.
review-still-open = { $reference } sigue como { $state }: el proveedor aún no tiene una respuesta definitiva.

## Configuración

settings-title = Configuración
settings-language = Idioma
settings-theme = Apariencia
settings-theme-system = Como el sistema
settings-theme-light = Clara
settings-theme-dark = Oscura
settings-secrets-not-forgotten = Se quitó el perfil “{ $profile }”, pero sus secretos no se pudieron quitar del llavero: { $reason }. Siguen allí con el servicio “saldo”: quítelos con la herramienta de llaves del escritorio (por ejemplo Contraseñas y claves).
settings-profiles = Perfiles de proveedor
settings-add-profile = Agregar un perfil
settings-pick-profile = Elija un perfil para editarlo, o agregue uno.
settings-new-profile = Nuevo perfil
settings-edit-profile = Perfil { $name }
settings-name = Nombre
settings-provider = Proveedor
settings-address = Dirección
settings-address-tip = La dirección de la API del proveedor (https://…)
settings-denominations = Montos a la venta ({ $unit })
settings-denominations-tip = Los montos que ofrece el mostrador, separados por comas; vacío para cualquier monto
settings-timeout = Tiempo de espera de la solicitud (s)
settings-timeout-tip = Cuánto puede tardar una solicitud antes de que su resultado se considere desconocido
settings-duplicate-window = Protección contra repeticiones (minutos)
settings-duplicate-window-tip = El mismo número y monto dentro de este tiempo pide una segunda confirmación; 0 la desactiva
settings-low-balance = Avisar por debajo de ({ $unit })
settings-low-balance-tip = El panel de saldos se pone en rojo y avisa por debajo de este valor; vacío para no avisar
settings-sales-floor = Saldo mínimo para vender ({ $unit })
settings-sales-floor-tip = Se rechazan las recargas que dejarían el saldo por debajo de este valor; vacío para no poner mínimo
settings-save = Guardar
settings-saved = Perfil { $name } guardado.
settings-remove = Eliminar perfil
settings-remove-confirm = ¿Eliminar { $name }? Sus secretos se borran del llavero del sistema; sus operaciones se quedan en el historial.
settings-remove-yes = Sí, eliminar
settings-removed = Perfil { $name } eliminado.
settings-secrets-after-save = Primero guarde el perfil; luego escriba sus secretos.
settings-ledger-title = Los libros de la tienda
settings-ledger-now-file = Este mostrador lleva su propio registro: { $path }
settings-ledger-now-server = Este mostrador trabaja en el servidor de la tienda: { $address }
settings-ledger-counter = Nombre de este mostrador: { $name } (cámbielo con --terminal NOMBRE o SALDO_TERMINAL)
settings-ledger-kept = { $count ->
    [one] Un resultado espera en este mostrador hasta que el servidor de la tienda vuelva a responder.
   *[other] { $count } resultados esperan en este mostrador hasta que el servidor de la tienda vuelva a responder.
}
settings-ledger-demo = La demostración lleva su propio registro.
settings-ledger-this-counter = Solo este mostrador
settings-ledger-shop-server = El servidor de la tienda
settings-ledger-address = Dirección del servidor
settings-ledger-password = Contraseña
settings-ledger-password-hint = se guarda en el llavero de este mostrador
settings-ledger-server-help = Todos los mostradores de la tienda usan la misma dirección. La contraseña va al llavero de este mostrador, nunca a la dirección.
settings-ledger-use = Usar este registro
settings-ledger-chosen-server = El servidor aceptó el acceso. saldo abre el servidor de la tienda { $address } desde su próximo inicio: cierre y abra saldo.
settings-ledger-chosen-file = saldo abre el registro propio de este mostrador { $path } desde su próximo inicio: cierre y abra saldo.
settings-ledger-not-kept = El registro se abrió, pero la elección no se pudo guardar: { $reason }
settings-ledger-counters = Los mostradores de la tienda
settings-ledger-counter-ready = { $name }: tiene los secretos de todos los perfiles
settings-ledger-counter-lacks = { $name }: le faltan los secretos de { $profiles }
settings-counters-lacking = A estos mostradores les faltan los secretos de este perfil y aún no pueden vender con él: { $counters }
settings-secrets = Secretos
settings-secrets-help = Los secretos que escriba van directo al llavero del sistema y no se vuelven a mostrar.
settings-secret-is-saved = guardado
settings-secret-not-saved = aún no guardado
settings-save-secrets = Guardar secretos
settings-secret-saved = Se guardó { $secret } en el llavero del sistema.
settings-test = Probar conexión
settings-test-tip = Consulta el saldo (o lo más sencillo que ofrezca el proveedor) con esta configuración
settings-test-ok = La conexión funciona: { $detail }
settings-test-failed = Falló la conexión: { $reason }
settings-test-balance = saldo { $balance }
settings-test-subaccounts = se listaron { $count } subcuentas
settings-test-statement = se puede leer el estado de cuenta
settings-test-secrets = todos los secretos están guardados (este proveedor no tiene ninguna consulta de solo lectura; la primera transferencia confirmará la conexión)
settings-error-name = “{ $name }” no sirve como nombre de perfil: use de 1 a 40 letras, dígitos, '-', '_' o '.'.
settings-error-url = “{ $url }” no es una dirección web: debe comenzar con https:// (o http:// para un servidor de pruebas).
settings-error-http = “{ $url }” usa http:// sin cifrar, que enviaría la clave de la API por la red a la vista: use https://. http:// solo sirve para un servidor de prueba en este equipo (127.0.0.1).
settings-error-denominations = Los montos a la venta no son correctos: { $reason }
settings-error-timeout = El tiempo de espera debe ser un número entero de segundos, del 1 al 120.
settings-error-window = La protección contra repeticiones debe ser un número entero de minutos, del 0 al 1440.
settings-error-option = { $reason }

## Datos y copias de seguridad (Configuración)

data-title = Sus datos y copias de seguridad
data-folder = Carpeta de datos:
data-logs = Registros de actividad:
data-backups = Copias de seguridad:
data-secrets-keychain = Las claves de API, tokens y contraseñas se guardan solo en el llavero de este equipo, nunca en estas carpetas.
data-secrets-demo = La demostración guarda sus credenciales inventadas solo en memoria.
data-logs-help = Un archivo de actividad por día, conservado 30 días, con cada petición a un proveedor bajo su referencia y nunca un secreto. Envíelos junto con un informe de fallo cuando algo salga mal.
data-backup-now = Hacer copia ahora…
data-restore = Restaurar una copia…
data-restore-wait = Espere a que no se esté enviando nada.
data-backup-done = Se copiaron { $count } operaciones en { $path }.
data-backup-done-no-dialog = No se pudo abrir el diálogo de guardar del sistema, así que saldo copió { $count } operaciones en { $path }.
data-backup-no-file = No se eligió ningún archivo: no se hizo ninguna copia.
data-restore-no-file = No se eligió ningún archivo: no se restauró nada.
data-restore-choose = No se pudo abrir el diálogo de archivos del sistema. Estas son las copias que saldo encontró; elija una para comprobarla (todavía no se restaura nada):
data-restore-none-found = No se pudo abrir el diálogo de archivos del sistema, y saldo no encontró ninguna copia en { $folder } ni en { $documents }.
data-restore-check = Comprobar esta copia
data-restore-list-cancel = Cancelar
data-backup-file-size = { $size } KB
data-no-operations = sin operaciones
data-restore-confirm = { $path } contiene { $count } operaciones, la más reciente del { $newest }. Restaurar la fusiona con el registro: vuelven las operaciones que solo tiene la copia y se mantienen todas las hechas desde entonces. El registro actual se conserva además en la carpeta de copias.
data-restore-yes = Restaurar esta copia
data-restore-no = Dejar el registro como está
data-restore-done = Se restauraron { $count } operaciones: { $added } volvieron de la copia y se mantuvieron { $kept } hechas desde entonces. No se olvidó nada; el registro anterior se conserva en { $aside }.
data-daily = Hacer una copia automática cada día
data-daily-keep = Días conservados:
data-daily-last = Copia automática de hoy: { $path }
data-daily-failed = La copia automática falló: { $reason }
toast-restored = El registro se restauró desde una copia: todos los paneles la muestran ahora.

## Opciones del proveedor (los campos del perfil propios de cada proveedor)

option-source = El id de la cuenta principal (api_id_source)
option-user = El id de usuario de la cuenta principal
option-auth = El esquema de autorización (Authorization) que usa la cuenta: Token o Bearer
option-token_lifetime = Cuántos segundos debe durar un token de acceso renovado
option-login_path = La ruta de inicio de sesión, dentro de la dirección
option-recharge_path = La ruta de recarga prepago
option-status_path = La ruta de consulta de estado
option-balance_path = La ruta de consulta del saldo del monedero
option-dest = El campo opcional dest: online u offline (vacío: no se envía)
option-auth_mode = Cómo se identifica la cuenta: token (el token de API del panel de socio) o login (usuario y contraseña)
option-operators_path = La ruta de la lista de operadores en vivo
option-operator_category = La categoría de operadores de prepago móvil en la lista en vivo (vea el panel de socio)
option-virtual_number = El número virtual de la cuenta (VirtualNumber)
option-token_valid_days = Cuántos días (1 a 365) debe durar un token de sesión nuevo
option-statement_path = La ruta del extracto que se prueba primero: credit (los SDK oficiales) o credits (la página del proveedor)

## Primer inicio

welcome-title = Bienvenido a saldo
welcome-intro = saldo vende recargas de teléfono y mueve crédito prepago a través de las cuentas de sus proveedores. Cada operación se anota antes de enviarse, así que una recarga nunca se envía dos veces ni se pierde, aunque falle la red o el equipo.
welcome-add-provider = Añadir su primer proveedor
welcome-try-demo = Probar la demostración
welcome-demo-help = La demostración se abre en su propia ventana, con proveedores y ventas inventados. No se envía nada real y su registro no se toca.
welcome-demo-opened = La demostración se está abriendo en su propia ventana.
welcome-demo-failed = No se pudo abrir la demostración: { $reason }. Ejecute saldo --demo en su lugar.
welcome-where-title = Dónde se guarda cada cosa
welcome-where-ledger = Cada operación: en el registro de este equipo, { $path }.
welcome-where-secrets = Claves de API, tokens y contraseñas: solo en el llavero de este equipo, nunca en un archivo.
welcome-where-logs = Lo que hizo saldo, día a día, sin secretos: { $path }.
welcome-where-backups = Una copia del registro cada día (y cuando usted la pida): { $path }.

## Cerrar mientras algo está en curso

close-title = Todavía hay algo en curso
close-explain = saldo está ocupado con: { $work }. Si se cierra ahora, saldo averigua en su próximo inicio qué pasó, pero el cliente del mostrador aún no lo sabría.
close-when-done = Cerrar cuando termine
close-keep-open = Mantener saldo abierto
close-now = Cerrar ahora
close-now-tip = saldo lo consulta con el proveedor en su próximo inicio; mientras tanto no envíe la misma recarga otra vez
close-when-done-note = saldo se cerrará en cuanto termine lo que está en curso…
close-work-topup = una recarga que se está enviando
close-work-credit = un movimiento de crédito
close-work-review = la resolución de una operación
close-work-export = una exportación que se está escribiendo
close-work-backup = una copia de seguridad o una restauración
interrupted-notice = { $count ->
    [one] saldo se cerró mientras una operación estaba en curso ({ $references }). saldo está preguntando al proveedor qué pasó con ella: Historial la muestra y Revisión la lista si no se puede resolver. Mientras tanto, no la envíe de nuevo.
   *[other] saldo se cerró mientras { $count } operaciones estaban en curso ({ $references }). saldo está preguntando al proveedor qué pasó con ellas: Historial las muestra y Revisión lista las que no se puedan resolver. Mientras tanto, no las envíe de nuevo.
}

## Files (saving without a dialog, opening folders)

files-open-folder = Abrir carpeta
files-open-failed = No se pudo abrir { $path }: { $reason }. Ábrala en su gestor de archivos.
files-folder-failed = No se pudo crear la carpeta { $path }: { $reason }.

## Calendar (the date picker)

calendar-months = enero, febrero, marzo, abril, mayo, junio, julio, agosto, septiembre, octubre, noviembre, diciembre
calendar-weekdays = lu, ma, mi, ju, vi, sá, do
calendar-pick = Elegir el día: { $what }
calendar-previous = Mes anterior
calendar-next = Mes siguiente

## Por qué una operación espera a una persona.
reason-profile-unreadable = no se pueden leer los ajustes o los secretos de su perfil: revise el perfil en Configuración
reason-transfer-cannot-be-asked = a { $profile } no se le puede preguntar por una transferencia anterior: revise los puntos de la cuenta hija { $child } en el portal del proveedor y luego resuélvala
reason-cannot-send-again = al proveedor no se le puede reenviar la recarga: revise los registros del proveedor y luego resuélvala
reason-number-unreadable = no se puede volver a leer su número ({ $error })
reason-request-unreadable = no se puede volver a leer la solicitud tal como se envió ({ $error })
reason-request-not-kept = el proveedor no tiene registro de ella y la solicitud enviada no se guardó, así que no se puede reenviar igual: revise los registros del proveedor para { $destination } { $amount } hacia { $at } y luego resuélvala
reason-cannot-ask-top-up = al proveedor no se le puede preguntar por una recarga anterior: revise los registros del proveedor y luego resuélvala
reason-provider-id-lost = se perdió la respuesta del proveedor y solo se le puede preguntar por su propio identificador: revise los registros del proveedor para { $destination } { $amount } hacia { $at } y luego resuélvala
reason-no-answer = el proveedor no respondió a { $checks } consultas de estado
reason-no-record = el proveedor no tiene registro de ella, lo que no significa que haya fallado: revise los registros del proveedor para { $destination } { $amount } hacia { $at } y luego resuélvala
reason-no-longer-known = el proveedor la aceptó pero ya no la reconoce
reason-amount-differs = el pedido del proveedor con nuestra referencia es de { $found }, no de { $recorded }: no se toma como esta operación; compruébelo con el proveedor y luego resuélvala
reason-pending-too-long = sigue pendiente después de un día: pregunte al proveedor
reason-pending-too-long-said = sigue pendiente después de un día ({ $said }): pregunte al proveedor
reason-late-contradiction = el proveedor informó después que quedó { $reported }, pero el registro dice { $recorded }: compruébelo con el proveedor y el cliente y luego resuélvala
reason-no-balance-before = no se registró el saldo antes del movimiento: compare el historial de la subcuenta en el portal del proveedor y luego resuélvala
reason-sub-accounts-unreadable = no se pudo leer la lista de subcuentas
reason-sub-account-gone = la subcuenta { $sub_account } ya no aparece en la lista: no se puede comparar su saldo
reason-overlapped = { $other } en la misma subcuenta coincidió con este movimiento, así que los saldos no permiten distinguirlos
reason-also-unknown = { $other } en la misma subcuenta también tiene resultado desconocido, así que los saldos no permiten distinguir los dos
reason-other-unsettled = { $other } en la misma subcuenta aún no está resuelta
reason-balance-moved = el saldo cambió en { $moved }, que no es 0 ni el importe de este movimiento: { $arithmetic }
reason-readings-disagree = dos lecturas del saldo no coinciden (primero { $first }, ahora { $now }): el saldo de la subcuenta está cambiando — { $conclusion }
reason-arithmetic = subcuenta { $sub_account }: { $before } antes (leído { $before_at }), { $later } a las { $later_at }, otros movimientos resueltos { $others }; este movimiento la cambiaría en { $effect }
reason-executed = ejecutado — { $arithmetic }
reason-not-executed = no ejecutado — { $arithmetic }

note-balance-before = subcuenta { $sub_account }: { $balance } antes del movimiento
note-balance-before-at = subcuenta { $sub_account }: { $balance } antes del movimiento (leído { $at })
note-stopped-before-sending = saldo se detuvo antes de enviarla.
note-never-sent = Nunca se envió: saldo se detuvo antes de enviarla.
note-stopped-while-sending = saldo se detuvo mientras la enviaba, antes de registrar el resultado: el resultado es desconocido.
note-status-check = saldo preguntó al proveedor cómo terminó.
note-status-said = El proveedor dice: { $said }
note-sending-again = El proveedor no tiene registro de ella y ya no puede estar ejecutando el último envío: saldo envía de nuevo exactamente la misma solicitud, con la misma referencia (el proveedor la crea una sola vez).
note-sent-again = Enviada de nuevo con la misma referencia.
note-balances-agree = { $conclusion } (igual en dos lecturas con { $seconds } s de diferencia; concluido de los saldos, no lo dijo el proveedor)
note-first-balance-reading = Primera lectura del saldo: { $conclusion }
note-flagged = Requiere revisión: { $reason }
note-late-outcome = Un resultado tardío: { $reported } (la operación ya estaba { $recorded })
note-never-sent-by-hand = Nunca se envió (resuelta a mano).
note-settled-by-hand = Resuelta a mano como { $state }: { $note }
note-by-hand = Resuelta a mano: { $note }
note-kept-by-hand = Mantenida como { $state } a mano: { $note }
note-corrected-by-hand = Corregida a { $state } a mano: { $note }
note-balances-after = cuenta principal { $main }, subcuenta { $sub_account }
note-done-without-balances = Hecho; el proveedor no dijo los saldos después.

receipt-print = Imprimir recibo
receipt-printing = Imprimiendo…
receipt-print-tip = Imprime el recibo del cliente en la impresora de esta caja (una segunda impresión dice REIMPRESIÓN)
receipt-no-printer = Elija primero una impresora de recibos en Ajustes › Recibos
receipt-print-failed = El recibo no se imprimió: { $reason }
toast-receipt-printed = Recibo { $number } impreso
toast-receipt-reprinted = Recibo { $number } impreso de nuevo (REIMPRESIÓN { $copy })
toast-receipt-saved = Recibo { $number } guardado como { $file }

settings-receipts-title = Recibos
settings-receipts-shop-intro = Lo que dicen los recibos de todas las cajas:
settings-receipts-shop-name = Nombre de la tienda
settings-receipts-shop-address = Dirección
settings-receipts-language = Recibos en
settings-receipts-language-auto = El idioma del país del perfil
settings-receipts-language-en = Inglés
settings-receipts-language-es = Español
settings-receipts-language-fa = Persa
settings-receipts-mask-numbers = Ocultar los dígitos centrales del número del cliente en los recibos
settings-receipts-save = Guardar para todas las cajas
settings-receipts-saved = Guardado: los recibos de todas las cajas lo dicen ya.
settings-receipts-printer-intro = La impresora de esta caja:
settings-receipts-printer-none = Ninguna elegida
settings-receipts-printer-network = Impresora térmica de red
settings-receipts-printer-system = Impresora del sistema (ESC/POS en bruto)
settings-receipts-printer-device = Dispositivo de impresora (USB o serie)
settings-receipts-printer-folder = Sin impresora: archivos PDF en una carpeta
settings-receipts-printer-where = Dónde
settings-receipts-printer-network-hint = 192.168.1.50:9100
settings-receipts-printer-system-hint = el nombre de la impresora (lpstat -p)
settings-receipts-printer-device-hint = /dev/usb/lp0
settings-receipts-printer-folder-hint = /home/tienda/Recibos
settings-receipts-width = Papel
settings-receipts-after-every-sale = Imprimir el recibo después de cada venta
